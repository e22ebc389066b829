// A test client for the conversation WebSocket: collects server frames and waits for them.
import type { Message, ServerFrame } from "../shared/schemas/index.ts";

/** A server frame with both variants' fields optional, so tests can write `frame.message?.role`. */
export type ReceivedFrame = { type: ServerFrame["type"] } & Partial<Omit<Extract<ServerFrame, { type: "message" }>, "type">> &
  Partial<Omit<Extract<ServerFrame, { type: "error" }>, "type">> &
  Partial<Omit<Extract<ServerFrame, { type: "ready" }>, "type">> &
  Partial<Omit<Extract<ServerFrame, { type: "stream_start" }>, "type">> &
  Partial<Omit<Extract<ServerFrame, { type: "stream_delta" }>, "type">> &
  Partial<Omit<Extract<ServerFrame, { type: "stream_end" }>, "type">>;

export class ConversationSocket {
  readonly frames: ReceivedFrame[] = [];
  private readonly listeners = new Set<() => void>();

  private readonly socket: WebSocket;

  // No parameter property: Node runs this file by stripping types (the CLIs import it).
  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(String(event.data)) as ReceivedFrame);
      for (const listener of this.listeners) listener();
    });
  }

  /**
   * Mints a socket ticket with `credential` (the conversation token or the operator key, in the
   * Authorization header) and opens the socket with it, as the SDK does.
   */
  static async open(baseUrl: string, conversationId: string, credential: string, after?: number): Promise<ConversationSocket> {
    return ConversationSocket.openWithTicket(baseUrl, conversationId, await mintSocketTicket(baseUrl, conversationId, credential), after);
  }

  /** Opens the socket with a ticket already minted (offered in Sec-WebSocket-Protocol, never in the URL). */
  static openWithTicket(baseUrl: string, conversationId: string, ticket: string, after?: number): Promise<ConversationSocket> {
    const url = new URL(`/v1/conversations/${conversationId}/ws`, baseUrl.replace(/^http/, "ws"));
    if (after !== undefined) url.searchParams.set("after", String(after));
    const socket = new WebSocket(url, ["stratus.v1", `stratus.ticket.${ticket}`]);
    const client = new ConversationSocket(socket);
    return new Promise((resolve, reject) => {
      socket.addEventListener("open", () => resolve(client), { once: true });
      socket.addEventListener("error", () => reject(new Error("WebSocket failed to open")), { once: true });
    });
  }

  /** A string or bytes as they are (a text or a binary frame); anything else as JSON text. */
  send(frame: unknown): void {
    if (frame instanceof Uint8Array) this.socket.send(Uint8Array.from(frame));
    else this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits until `predicate` holds for the frames received so far. */
  waitFor(predicate: (frames: ReceivedFrame[]) => boolean, timeoutMs = 20_000): Promise<ReceivedFrame[]> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!predicate(this.frames)) return;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(this.frames);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out; frames so far: ${JSON.stringify(this.frames)}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  messages(): Message[] {
    return this.frames.flatMap((frame) => (frame.message ? [frame.message] : []));
  }

  close(): void {
    this.socket.close();
  }

  /** Calls `listener` with the close code when the server (or the network) closes the socket. */
  onClose(listener: (code: number) => void): void {
    this.socket.addEventListener("close", (event) => listener(event.code), { once: true });
  }
}

/** `POST …/socket-tickets` with `credential` in the Authorization header: the ticket, or an error naming the status. */
export async function mintSocketTicket(baseUrl: string, conversationId: string, credential: string): Promise<string> {
  const response = await fetch(new URL(`/v1/conversations/${conversationId}/socket-tickets`, baseUrl), {
    method: "POST",
    headers: { Authorization: `Bearer ${credential}` },
  });
  if (response.status !== 201) throw new Error(`socket ticket: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { ticket: string }).ticket;
}
