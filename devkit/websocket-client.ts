// A test client for the conversation WebSocket: collects server frames and waits for them.
import type { Message, ServerFrame } from "../shared/schemas/index.ts";

/** A server frame with both variants' fields optional, so tests can write `frame.message?.role`. */
export type ReceivedFrame = { type: ServerFrame["type"] } & Partial<Omit<Extract<ServerFrame, { type: "message" }>, "type">> &
  Partial<Omit<Extract<ServerFrame, { type: "error" }>, "type">>;

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

  static open(baseUrl: string, conversationId: string, token: string, after?: number): Promise<ConversationSocket> {
    const url = new URL(`/v1/conversations/${conversationId}/ws`, baseUrl.replace(/^http/, "ws"));
    url.searchParams.set("token", token);
    if (after !== undefined) url.searchParams.set("after", String(after));
    const socket = new WebSocket(url);
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
}
