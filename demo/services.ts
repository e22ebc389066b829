// The demo backends the example bots call: an order API, a product catalogue and recommendations
// (shop), and a market-data API (finance).
// Plain node:http, in-memory data, reset on every start. Run: `node demo/services.ts`
// (port 8790 or DEMO_PORT); tests: `await startDemoServices({ port: 0 })`.
//
//   GET  /orders/:id            200 order, or its status alone | 403 | 404   (who may see what: demo/orders.ts)
//   POST /orders/:id/cancel     200 cancelled | 403 proof_required | 409 { error, status } (shipped, delivered, cancelled)
//   POST /orders/:id/returns    201 { returnId } | 403 proof_required | 409 { error, status } (only delivered orders)
//   GET  /quotes/:symbol        200 quote | 404 (symbols: AAPL MSFT GOOGL TSLA NVDA 0700.HK 9988.HK)
//   GET  /catalogue/products?q=&category=, /catalogue/categories,
//        /customers/:id/recommendations?limit=5   the demo shop (demo/shop/routes.ts)
//   GET  /customers/me/recommendations   the signed-in user's (the bot call's user assertion), popular ones for anyone else
//   GET  /catalogue/products/:id?locale=  one product (its picture, price, category)
//   POST /customers/me/cart/items?locale= { productId, quantity? } → the signed-in customer's cart | 401 sign_in_required | 404
//   POST /finance/risk-profile, /finance/savings-plan   the bank's advice engines (demo/advice/routes.ts)
//   GET  /health                200
//   the messaging platforms' send APIs (Slack, Teams, Telegram, WhatsApp, LINE, WeChat): demo/channel-platforms.ts
//
// Fault injection (for tests of graceful failure):
//   ORD-5000500 → always 500          ORD-5000408 → answers after `slowMs` (default 10 s)
//   ORD-5000999 → 200 with bad JSON   ORD-5000503 → 503 on every other request (a retry succeeds)
//   quote ACME  → always 500
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { loadShop } from "./shop/catalogue.ts";
import { loadRecommenderModel } from "./shop/recommender.ts";
import { answerShopRequest } from "./shop/routes.ts";
import { addToCart, type Carts } from "./shop/cart.ts";
import { ADVICE_PATHS, answerAdviceRequest, type AdviceBody } from "./advice/routes.ts";
import type { JSONWebKeySet } from "jose";
import { createChannelPlatforms, type ChannelPlatforms } from "./channel-platforms.ts";
import { fullOrder, ORDER_PROOF_HEADER, orderAccess, seedOrders, statusOnly } from "./orders.ts";

const QUOTES: Record<string, { name: string; price: number; currency: string; change: number }> = {
  AAPL: { name: "Apple Inc.", price: 231.45, currency: "USD", change: 1.27 },
  MSFT: { name: "Microsoft Corp.", price: 428.1, currency: "USD", change: -0.42 },
  GOOGL: { name: "Alphabet Inc.", price: 178.32, currency: "USD", change: 0.85 },
  TSLA: { name: "Tesla Inc.", price: 251.6, currency: "USD", change: -2.14 },
  NVDA: { name: "NVIDIA Corp.", price: 142.88, currency: "USD", change: 3.02 },
  "0700.HK": { name: "Tencent Holdings 腾讯控股", price: 412.4, currency: "HKD", change: 0.64 },
  "9988.HK": { name: "Alibaba Group 阿里巴巴", price: 86.75, currency: "HKD", change: -1.1 },
};

export interface DemoServicesOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** How long the "slow" order (ORD-5000408) takes to answer. */
  slowMs?: number;
  /** Sees every request first (tests read the headers a bot's action sent, e.g. `traceparent`). */
  onRequest?: (request: IncomingMessage) => void;
  /**
   * The deployment's public keys for the user assertions of the bots' calls (its JWKS, or the URL
   * the gateway publishes it at): the order API then knows the signed-in user. Without them every
   * caller is anonymous (an order's status only, details with proof).
   */
  actionKeys?: JSONWebKeySet | URL;
  /** Today's date (ISO) for the savings plan's default start; default: the clock's, in UTC. */
  today?: () => string;
}

export interface DemoServices {
  url: string;
  port: number;
  /** The messaging platforms' imitations: their recorded sends, and Teams' signing key. */
  channels: ChannelPlatforms;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

/** A JSON answer, or a 404 when the routes had none for the request. */
function sendOrNotFound(response: ServerResponse, answer: { status: number; body: unknown } | null): void {
  send(response, answer?.status ?? 404, answer?.body ?? { error: "not_found" });
}

/** Answers a request once `answering` is done; its failure is a 500, unless something was sent already. */
function answerLater(response: ServerResponse, answering: () => Promise<unknown>): void {
  void answering().catch(() => {
    if (!response.headersSent) send(response, 500, { error: "internal_error" });
  });
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON body for the advice routes and the cart: an empty or malformed one is the caller's mistake, told apart from `{}`. */
async function readJsonBody(request: IncomingMessage): Promise<AdviceBody> {
  const text = await readText(request);
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A lenient JSON body (a return's reason): empty or malformed reads as `{}`. */
async function readBody(request: IncomingMessage): Promise<unknown> {
  const body = await readJsonBody(request);
  return body.ok ? body.json : {};
}

/** The request path, percent-decoded; undefined when an escape is malformed (decodeURIComponent throws URIError). */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url, "http://demo").pathname);
  } catch {
    return undefined;
  }
}

export async function startDemoServices(options: DemoServicesOptions = {}): Promise<DemoServices> {
  const orders = seedOrders();
  const shop = loadShop();
  const recommender = loadRecommenderModel();
  const slowMs = options.slowMs ?? 10_000;
  let flakyRequests = 0;
  let returnCounter = 1000;
  const pending = new Set<NodeJS.Timeout>();
  const channels = await createChannelPlatforms();
  let origins: string[] = [];
  const access = orderAccess({ keys: options.actionKeys, audience: () => origins });
  const carts: Carts = new Map();
  /** Who calls: the user of the bot's call, from its user assertion (addressed to this API's origin). */
  const callerOf = (request: IncomingMessage) => access.caller(request, `${origins[0] ?? "http://demo"}${request.url ?? "/"}`);

  /** A /customers/me/… request answered for the signed-in user of the bot's call (null: anonymous); a bad assertion is a 401. */
  function answerForCaller(request: IncomingMessage, response: ServerResponse, answer: (sub: string | null) => Promise<void> | void): void {
    answerLater(response, async () => {
      const caller = await callerOf(request);
      if (!caller.ok) return send(response, 401, { error: "invalid_assertion", reason: caller.reason });
      return answer(caller.call?.sub ?? null);
    });
  }

  async function handleOrder(request: IncomingMessage, response: ServerResponse, rawId: string, operation: string | undefined) {
    const id = rawId.toUpperCase();
    if (id === "ORD-5000500") return send(response, 500, { error: "internal_error" });
    if (id === "ORD-5000999") {
      response.writeHead(200, { "content-type": "application/json" });
      return response.end("{ this is not json");
    }
    if (id === "ORD-5000408") {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, slowMs);
        pending.add(timer);
      });
      if (response.destroyed) return;
      return send(response, 200, { id, status: "processing" });
    }
    if (id === "ORD-5000503" && flakyRequests++ % 2 === 0) return send(response, 503, { error: "temporarily_unavailable" });
    const order = orders.get(id);
    if (!order) return send(response, 404, { error: "order_not_found", id });
    const caller = await callerOf(request);
    if (!caller.ok) return send(response, 401, { error: "invalid_assertion", reason: caller.reason });
    const proofHeader = request.headers[ORDER_PROOF_HEADER.toLowerCase()];
    const allowed = access.decide(order, caller.call, Array.isArray(proofHeader) ? proofHeader[0] : proofHeader, Date.now());
    if (allowed === "mismatch") return send(response, 403, { error: "proof_mismatch", id, status: order.status });
    if (request.method === "GET" && operation === undefined) return send(response, 200, allowed === "status_only" ? statusOnly(order) : fullOrder(order, allowed));
    // A change needs the order to be the caller's.
    if (request.method === "POST" && allowed === "status_only") return send(response, 403, { error: "proof_required", id, status: order.status });
    if (request.method === "POST" && operation === "cancel") {
      if (order.status !== "processing") return send(response, 409, { error: "not_cancellable", id, status: order.status });
      order.status = "cancelled";
      order.refund = { status: "processing", amount: order.total };
      return send(response, 200, fullOrder(order, allowed === "status_only" ? "proven" : allowed));
    }
    if (request.method === "POST" && operation === "returns") {
      const body = (await readBody(request)) as { reason?: unknown };
      if (order.status !== "delivered") return send(response, 409, { error: "not_returnable", id, status: order.status });
      returnCounter++;
      return send(response, 201, { returnId: `RMA-${returnCounter}`, id, reason: typeof body.reason === "string" ? body.reason : "other" });
    }
    return send(response, 405, { error: "method_not_allowed" });
  }

  function handleQuote(response: ServerResponse, rawSymbol: string) {
    const symbol = rawSymbol.toUpperCase();
    if (symbol === "ACME") return send(response, 500, { error: "feed_unavailable" });
    const quote = QUOTES[symbol];
    if (!quote) return send(response, 404, { error: "unknown_symbol", symbol });
    return send(response, 200, {
      symbol,
      name: quote.name,
      price: { amount: quote.price, currency: quote.currency },
      change: quote.change,
      changePercent: Math.round((quote.change / (quote.price - quote.change)) * 10_000) / 100,
      asOf: "2026-11-24T16:00:00Z",
      delayed: true,
    });
  }

  const server: Server = createServer((request, response) => {
    options.onRequest?.(request);
    const path = decodedPath(request.url ?? "/");
    // A malformed escape ("/orders/%E0%A4%A") is the client's mistake: a 400, not a crash.
    if (path === undefined) return send(response, 400, { error: "malformed_path", message: "the path has a malformed percent-escape" });
    // "me": the signed-in user of the bot's call (its user assertion) is the shop customer of that id;
    // an anonymous caller is no customer, and gets the popular products.
    if (/^\/customers\/me\/recommendations\/?$/.test(path)) {
      return answerForCaller(request, response, (sub) => {
        const url = new URL(request.url ?? "/", "http://demo");
        if (sub !== null) url.pathname = `/customers/${encodeURIComponent(sub)}/recommendations`;
        sendOrNotFound(response, answerShopRequest(shop, recommender, request.method ?? "GET", url));
      });
    }
    // The signed-in customer's cart: only the user of the bot's call (its assertion) has one.
    if (/^\/customers\/me\/cart\/items\/?$/.test(path)) {
      if (request.method !== "POST") return send(response, 405, { error: "method_not_allowed" });
      const locale = new URL(request.url ?? "/", "http://demo").searchParams.get("locale");
      return answerForCaller(request, response, async (sub) => {
        const body = await readJsonBody(request);
        if (!body.ok) return send(response, 400, { error: "invalid_json", message: "the request body is not valid JSON" });
        const answer = addToCart(shop, carts, sub, body.json, locale === "zh" || locale === "es" ? locale : "en");
        send(response, answer.status, answer.body);
      });
    }
    const shopAnswer = answerShopRequest(shop, recommender, request.method ?? "GET", new URL(request.url ?? "/", "http://demo"));
    if (shopAnswer) return send(response, shopAnswer.status, shopAnswer.body);
    if (ADVICE_PATHS.has(path.replace(/\/+$/, ""))) {
      const method = request.method ?? "GET";
      return answerLater(response, async () => {
        const body = await readJsonBody(request);
        sendOrNotFound(response, answerAdviceRequest(method, path, body, options.today?.() ?? new Date().toISOString().slice(0, 10)));
      });
    }
    const channelRequest = channels.handle(request, response);
    if (channelRequest !== undefined) return void channelRequest;
    const order = /^\/orders\/([^/]+)(?:\/(cancel|returns))?\/?$/.exec(path);
    const quote = /^\/quotes\/([^/]+)\/?$/.exec(path);
    answerLater(response, async () => {
      if (order) return handleOrder(request, response, order[1] ?? "", order[2]);
      if (quote) return handleQuote(response, quote[1] ?? "");
      return path === "/health" ? send(response, 200, { ok: true }) : send(response, 404, { error: "not_found" });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 8790, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // The origins bots name this API by (their action URLs): the assertions' audience.
  origins = [`http://${options.host ?? "127.0.0.1"}:${port}`, `http://localhost:${port}`, `http://127.0.0.1:${port}`];
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    channels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of pending) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.DEMO_PORT ?? 8790);
  // The gateway's published keys (npm run dev sets it): the order API then knows the signed-in user.
  const keys = process.env.DEMO_ACTION_KEYS_URL;
  const services = await startDemoServices({ port, ...(keys ? { actionKeys: new URL(keys) } : {}) });
  console.log(`demo services on ${services.url} (orders: /orders/:id, quotes: /quotes/:symbol, shop: /catalogue/products, /customers/:id/recommendations)`);
}
