// The bare "hello" Worker `npm run bench:load` drives beside the pipeline, with the same client:
// the runtime's own ceiling on this machine. It speaks just enough of the conversation API for the
// load client — create a conversation, a socket ticket (any), a WebSocket that echoes each message frame as the stored
// user message plus one bot reply, and POST …/messages?wait answering at once — with no storage,
// no queue, no NLU and no validation beyond a JSON parse. Nothing here runs in production.

/**
 * The last seq handed out per conversation over HTTP, in this isolate's memory (local runs have
 * one): each request's messages must get new seqs, or the client takes a second message's echo for
 * the first one's and never sees it answered.
 */
const httpSeqs = new Map<string, number>();

interface HelloMessage {
  seq: number;
  role: "user" | "bot";
  text: string;
  createdAt: string;
  clientMessageId?: string;
  replyTo?: number;
}

/** The user's message and the bot's answer, as the gateway would store them (seq counted per socket, or per conversation over HTTP). */
function turn(seq: number, text: string, clientMessageId: string | undefined): [HelloMessage, HelloMessage] {
  const createdAt = new Date().toISOString();
  const user: HelloMessage = { seq, role: "user", text, createdAt, ...(clientMessageId === undefined ? {} : { clientMessageId }) };
  return [user, { seq: seq + 1, role: "bot", text: "hello", createdAt, replyTo: seq }];
}

function parseMessage(raw: string): { text: string; clientMessageId: string | undefined } | undefined {
  try {
    const frame = JSON.parse(raw) as { text?: unknown; clientMessageId?: unknown };
    if (typeof frame.text !== "string") return undefined;
    return { text: frame.text, clientMessageId: typeof frame.clientMessageId === "string" ? frame.clientMessageId : undefined };
  } catch {
    return undefined;
  }
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/healthz") return new Response("ok");
    if (request.method === "POST" && url.pathname === "/v1/conversations") {
      return Response.json({ id: crypto.randomUUID(), token: "hello", bot: "hello", locale: "en" }, { status: 201 });
    }
    if (request.method === "POST" && url.pathname.endsWith("/socket-tickets")) {
      return Response.json({ ticket: "hello", expiresAt: new Date(Date.now() + 30_000).toISOString() }, { status: 201 });
    }
    if (url.pathname.endsWith("/ws") && request.headers.get("Upgrade") === "websocket") {
      const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
      server.accept();
      let seq = 0;
      server.addEventListener("message", (event) => {
        const message = parseMessage(String(event.data));
        if (!message) return;
        const [user, bot] = turn(seq + 1, message.text, message.clientMessageId);
        seq += 2;
        server.send(JSON.stringify({ type: "message", message: user }));
        server.send(JSON.stringify({ type: "message", message: bot }));
      });
      return new Response(null, { status: 101, webSocket: client, headers: { "Sec-WebSocket-Protocol": "stratus.v1" } });
    }
    if (request.method === "POST" && url.pathname.endsWith("/messages")) {
      const message = parseMessage(await request.text());
      if (!message) return Response.json({ error: { code: "invalid_body", message: "expected { text }" } }, { status: 400 });
      const conversation = url.pathname.split("/")[3] ?? "";
      const seq = (httpSeqs.get(conversation) ?? 0) + 1;
      httpSeqs.set(conversation, seq + 1);
      const [user, bot] = turn(seq, message.text, message.clientMessageId);
      return Response.json({ message: user, replies: [bot] });
    }
    return Response.json({ error: { code: "not_found", message: "no such route" } }, { status: 404 });
  },
} satisfies ExportedHandler;
