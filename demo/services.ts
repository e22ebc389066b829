// The demo backends the example bots call: an order API, a product catalogue and recommendations
// (shop), and a market-data API (finance).
// Plain node:http, in-memory data, reset on every start. Run: `node demo/services.ts`
// (port 8790 or DEMO_PORT); tests: `await startDemoServices({ port: 0 })`.
//
//   GET  /orders/:id            200 order | 404
//   POST /orders/:id/cancel     200 cancelled | 409 { error, status } (shipped, delivered, cancelled)
//   POST /orders/:id/returns    201 { returnId } | 409 { error, status } (only delivered orders)
//   GET  /quotes/:symbol        200 quote | 404 (symbols: AAPL MSFT GOOGL TSLA NVDA 0700.HK 9988.HK)
//   GET  /catalogue/products?q=&category=, /catalogue/categories,
//        /customers/:id/recommendations?limit=5   the demo shop (demo/shop/routes.ts)
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
import { createChannelPlatforms, type ChannelPlatforms } from "./channel-platforms.ts";

interface Order {
  id: string;
  status: "processing" | "shipped" | "delivered" | "cancelled";
  placedAt: string;
  items: string[];
  total: { amount: number; currency: string };
  shipping?: { carrier: string; trackingNumber: string; eta: string };
  deliveredAt?: string;
  refund: { status: "processing" | "completed"; amount: { amount: number; currency: string } } | null;
}

function seedOrders(): Map<string, Order> {
  const usd = (amount: number) => ({ amount, currency: "USD" });
  const orders: Order[] = [
    {
      id: "ORD-4820193",
      status: "shipped",
      placedAt: "2026-11-20T10:15:00Z",
      items: ["Wireless headphones"],
      total: usd(129.0),
      shipping: { carrier: "UPS", trackingNumber: "1Z999AA10123456784", eta: "2026-11-28" },
      refund: null,
    },
    { id: "ORD-1000001", status: "processing", placedAt: "2026-11-23T08:00:00Z", items: ["Running shoes"], total: usd(89.5), refund: null },
    { id: "ORD-1000002", status: "processing", placedAt: "2026-11-23T09:30:00Z", items: ["Phone case", "USB-C cable"], total: usd(24.98), refund: null },
    {
      id: "ORD-3141592",
      status: "delivered",
      placedAt: "2026-11-10T14:00:00Z",
      items: ["Rain jacket"],
      total: usd(75.0),
      deliveredAt: "2026-11-14",
      refund: null,
    },
    {
      id: "ORD-2718281",
      status: "cancelled",
      placedAt: "2026-11-01T12:00:00Z",
      items: ["Coffee grinder"],
      total: usd(49.9),
      refund: { status: "completed", amount: usd(49.9) },
    },
    {
      id: "ORD-1618033",
      status: "delivered",
      placedAt: "2026-11-02T12:00:00Z",
      items: ["Desk lamp"],
      total: usd(35.0),
      deliveredAt: "2026-11-06",
      refund: { status: "processing", amount: usd(35.0) },
    },
    // The bare 8-digit receipt number of an order.
    {
      id: "12345678",
      status: "shipped",
      placedAt: "2026-11-21T16:45:00Z",
      items: ["Backpack"],
      total: usd(59.0),
      shipping: { carrier: "DHL", trackingNumber: "JD014600006281234567", eta: "2026-11-27" },
      refund: null,
    },
    { id: "ORD-5000503", status: "shipped", placedAt: "2026-11-22T07:00:00Z", items: ["Board game"], total: usd(39.0), shipping: { carrier: "FedEx", trackingNumber: "7712345678", eta: "2026-11-29" }, refund: null },
  ];
  return new Map(orders.map((order) => [order.id, order]));
}

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

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
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
    if (request.method === "GET" && operation === undefined) return send(response, 200, order);
    if (request.method === "POST" && operation === "cancel") {
      if (order.status !== "processing") return send(response, 409, { error: "not_cancellable", id, status: order.status });
      order.status = "cancelled";
      order.refund = { status: "processing", amount: order.total };
      return send(response, 200, order);
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
    const shopAnswer = answerShopRequest(shop, recommender, request.method ?? "GET", new URL(request.url ?? "/", "http://demo"));
    if (shopAnswer) return send(response, shopAnswer.status, shopAnswer.body);
    const channelRequest = channels.handle(request, response);
    if (channelRequest !== undefined) return void channelRequest;
    const order = /^\/orders\/([^/]+)(?:\/(cancel|returns))?\/?$/.exec(path);
    const quote = /^\/quotes\/([^/]+)\/?$/.exec(path);
    const handled = order
      ? handleOrder(request, response, order[1] ?? "", order[2])
      : quote
        ? Promise.resolve(handleQuote(response, quote[1] ?? ""))
        : Promise.resolve(path === "/health" ? send(response, 200, { ok: true }) : send(response, 404, { error: "not_found" }));
    handled.catch(() => {
      if (!response.headersSent) send(response, 500, { error: "internal_error" });
    });
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 8790, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
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
  const services = await startDemoServices({ port });
  console.log(`demo services on ${services.url} (orders: /orders/:id, quotes: /quotes/:symbol, shop: /catalogue/products, /customers/:id/recommendations)`);
}
