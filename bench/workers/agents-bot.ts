// The agents-SDK bot `npm run bench:load` drives beside Stratus with the same client: the simplest
// thing a user could build on Cloudflare instead of our platform — one Agent (a Durable Object, from
// Cloudflare's `agents` SDK) per conversation that stores every message in its own SQLite and
// answers in the same request with a few keyword rules (agents-bot-rules.ts). It speaks the part of
// our conversation API the load client uses (create, socket ticket, WebSocket, POST …/messages?wait,
// GET …/messages), as the bare hello Worker does, with the SDK's own routing (`getAgentByName`),
// RPC, SQL helper, state and WebSocket handling; no NLU, no queue, no metrics, no validation
// beyond a JSON parse. Nothing here runs in production.
import { Agent, getAgentByName, type Connection, type WSMessage } from "agents";
import { ruleReply } from "./agents-bot-rules.ts";

interface AgentsBotEnv {
  RULE_BOT: DurableObjectNamespace<RuleBotAgent>;
}

/** A stored message, in the shape of the Stratus API's Message (what the load client reads). */
interface BotMessage {
  id: string;
  seq: number;
  role: "user" | "bot";
  text: string;
  createdAt: string;
  clientMessageId?: string;
  replyTo?: number;
  response?: string;
}

interface MessageRow {
  seq: number;
  role: "user" | "bot";
  text: string;
  created_at: string;
  client_message_id: string | null;
  reply_to: number | null;
  response: string | null;
  [column: string]: SqlStorageValue;
}

interface Turn {
  message: BotMessage;
  replies: BotMessage[];
}

const asMessage = (row: MessageRow): BotMessage => ({
  id: `m${row.seq}`,
  seq: row.seq,
  role: row.role,
  text: row.text,
  createdAt: row.created_at,
  ...(row.client_message_id === null ? {} : { clientMessageId: row.client_message_id }),
  ...(row.reply_to === null ? {} : { replyTo: row.reply_to }),
  ...(row.response === null ? {} : { response: row.response }),
});

/** One conversation: its messages in SQLite, its bot and locale in the Agent's state. */
export class RuleBotAgent extends Agent<Cloudflare.Env, { bot: string; locale: string }> {
  override initialState = { bot: "", locale: "en" };

  override onStart(): void {
    this.ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY, role TEXT NOT NULL, text TEXT NOT NULL, created_at TEXT NOT NULL,
      client_message_id TEXT UNIQUE, reply_to INTEGER, response TEXT)`);
  }

  /** Called once when the conversation is created. */
  begin(bot: string, locale: string): void {
    this.setState({ bot, locale });
  }

  /** Stores the user's message and the rule's answer; a repeated clientMessageId returns the first answer. */
  reply(text: string, clientMessageId: string | undefined): Turn {
    if (clientMessageId !== undefined) {
      const [original] = this.sql<MessageRow>`SELECT * FROM messages WHERE client_message_id = ${clientMessageId}`;
      if (original) return { message: asMessage(original), replies: this.sql<MessageRow>`SELECT * FROM messages WHERE reply_to = ${original.seq}`.map(asMessage) };
    }
    const now = new Date().toISOString();
    const [user] = this.sql<MessageRow>`INSERT INTO messages (role, text, created_at, client_message_id)
      VALUES ('user', ${text}, ${now}, ${clientMessageId ?? null}) RETURNING *`;
    if (!user) throw new Error("the insert returned no row");
    const answer = ruleReply(text, this.state.locale);
    const [bot] = this.sql<MessageRow>`INSERT INTO messages (role, text, created_at, reply_to, response)
      VALUES ('bot', ${answer.text}, ${now}, ${user.seq}, ${answer.response}) RETURNING *`;
    if (!bot) throw new Error("the insert returned no row");
    return { message: asMessage(user), replies: [asMessage(bot)] };
  }

  list(after: number, limit: number): BotMessage[] {
    return this.sql<MessageRow>`SELECT * FROM messages WHERE seq > ${after} ORDER BY seq LIMIT ${limit}`.map(asMessage);
  }

  /** A message frame on the conversation's WebSocket: every client of it gets the stored message and the answer. */
  override onMessage(_connection: Connection, raw: WSMessage): void {
    const frame = parseBody(typeof raw === "string" ? raw : "");
    if (!frame) return;
    const turn = this.reply(frame.text, frame.clientMessageId);
    for (const message of [turn.message, ...turn.replies]) this.broadcast(JSON.stringify({ type: "message", message }));
  }
}

function parseBody(raw: string): { text: string; clientMessageId: string | undefined } | undefined {
  try {
    const body = JSON.parse(raw) as { text?: unknown; clientMessageId?: unknown };
    if (typeof body.text !== "string") return undefined;
    return { text: body.text, clientMessageId: typeof body.clientMessageId === "string" ? body.clientMessageId : undefined };
  } catch {
    return undefined;
  }
}

const notFound = () => Response.json({ error: { code: "not_found", message: "no such route" } }, { status: 404 });

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/healthz") return new Response("ok");
    if (request.method === "POST" && url.pathname === "/v1/conversations") {
      const body = (await request.json().catch(() => ({}))) as { bot?: unknown; locale?: unknown };
      const bot = typeof body.bot === "string" ? body.bot : "default";
      const locale = typeof body.locale === "string" ? body.locale : "en";
      const id = crypto.randomUUID();
      await (await getAgentByName(env.RULE_BOT, id)).begin(bot, locale);
      return Response.json({ id, token: "agents-bot", bot, locale }, { status: 201 });
    }
    const match = /^\/v1\/conversations\/([0-9a-f-]{36})\/(messages|socket-tickets|ws)$/.exec(url.pathname);
    if (!match) return notFound();
    const [, id = "", route] = match;
    if (route === "socket-tickets" && request.method === "POST") {
      return Response.json({ ticket: "agents-bot", expiresAt: new Date(Date.now() + 30_000).toISOString() }, { status: 201 });
    }
    const agent = await getAgentByName(env.RULE_BOT, id);
    if (route === "ws" && request.headers.get("Upgrade") === "websocket") {
      // The SDK accepts the socket; our clients ask for the `stratus.v1` subprotocol, which it does not name.
      const upgraded = await agent.fetch(request);
      if (!upgraded.webSocket) return upgraded;
      return new Response(null, { status: 101, webSocket: upgraded.webSocket, headers: { "Sec-WebSocket-Protocol": "stratus.v1" } });
    }
    if (route === "messages" && request.method === "POST") {
      const body = parseBody(await request.text());
      if (!body) return Response.json({ error: { code: "invalid_request", message: "expected { text }" } }, { status: 400 });
      return Response.json(await agent.reply(body.text, body.clientMessageId));
    }
    if (route === "messages" && request.method === "GET") {
      const after = Number(url.searchParams.get("after") ?? 0);
      const limit = Math.min(200, Number(url.searchParams.get("limit") ?? 50));
      return Response.json({ messages: await agent.list(after, limit) });
    }
    return notFound();
  },
} satisfies ExportedHandler<AgentsBotEnv>;
