// A test client for the conversation WebSocket: collects server frames and waits for them.
export interface ServerFrame {
  type: "message" | "error";
  message?: { id: string; seq: number; role: "user" | "bot" | "agent"; text: string; replyTo?: number; response?: string };
  error?: { code: string; message: string };
}

export class ConversationSocket {
  readonly frames: ServerFrame[] = [];
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(String(event.data)) as ServerFrame);
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

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits until `predicate` holds for the frames received so far. */
  waitFor(predicate: (frames: ServerFrame[]) => boolean, timeoutMs = 20_000): Promise<ServerFrame[]> {
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

  messages(): NonNullable<ServerFrame["message"]>[] {
    return this.frames.flatMap((frame) => (frame.message ? [frame.message] : []));
  }

  close(): void {
    this.socket.close();
  }
}
