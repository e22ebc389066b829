import { backoffDelay, type BackoffOptions } from "./backoff.ts";
import type { ChannelState, LiveChannel } from "./live-channel.ts";

/** The part of the WebSocket API the channel uses: browsers', Node's and React Native's all have it. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}
export type SocketConstructor = new (url: string, protocols?: string | string[]) => SocketLike;

const OPEN = 1;

export interface SocketChannelOptions {
  /**
   * Where and how to open, built at each attempt: the address (it carries `after=` the last seq seen)
   * and the subprotocols (a fresh socket ticket). Rejects when it cannot: a retryable failure is
   * retried with backoff; `isFatal(error)` ones stop the channel.
   */
  connect(): Promise<{ url: string; protocols: string[] }>;
  /** A failure of `connect` that retrying cannot mend (the credential was refused): the channel stops. */
  isFatal(error: unknown): boolean;
  onFatal(error: unknown): void;
  WebSocket: SocketConstructor;
  backoff: BackoffOptions;
  /**
   * How often to check that an open socket is alive: a `ping` the server answers `pong`. A socket
   * that stays silent for two periods is given up and reopened (a dropped network often leaves a
   * socket that looks open but never delivers again).
   */
  heartbeatMs: number;
  onText(text: string): void;
  onState(state: ChannelState): void;
  /** The socket closed before it ever opened, `consecutive` times in a row. */
  onOpenFailure(consecutive: number): void;
}

/**
 * A WebSocket that comes back: when it closes, it is opened again after an exponential backoff
 * with jitter, from the last message seen with a fresh ticket (the caller's `connect()`), until `stop()`.
 */
export class SocketChannel implements LiveChannel {
  private socket: SocketLike | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private openFailures = 0;
  private stopped = true;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  /** Counts `open` calls, so a connect that resolves after a newer one started (or after stop) is ignored. */
  private opening = 0;

  constructor(private readonly options: SocketChannelOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.open("connecting");
  }

  stop(): void {
    this.stopped = true;
    this.opening++;
    clearTimeout(this.timer);
    clearInterval(this.heartbeat);
    this.drop();
  }

  wake(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    // A socket that looks open may be dead after a network change: a new one costs one replay.
    this.drop();
    this.open("reconnecting");
  }

  /** Sends a text frame if the socket is open; false otherwise. */
  sendText(text: string): boolean {
    if (this.socket?.readyState !== OPEN) return false;
    this.socket.send(text);
    return true;
  }

  private open(state: ChannelState): void {
    this.options.onState(state);
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => this.checkAlive(), this.options.heartbeatMs);
    const attempt = ++this.opening;
    this.options.connect().then(
      ({ url, protocols }) => {
        if (attempt === this.opening && !this.stopped) this.openSocket(url, protocols);
      },
      (error: unknown) => {
        if (attempt !== this.opening || this.stopped) return;
        if (this.options.isFatal(error)) {
          this.stop();
          this.options.onFatal(error);
          return;
        }
        this.scheduleReopen(false);
      },
    );
  }

  private openSocket(url: string, protocols: string[]): void {
    let opened = false;
    const socket = new this.options.WebSocket(url, protocols);
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      opened = true;
      this.attempt = 0;
      this.openFailures = 0;
      this.lastHeard = Date.now();
      this.options.onState("connected");
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      if (typeof event.data === "string" && event.data !== "pong") this.options.onText(event.data);
    };
    socket.onerror = () => {
      // A close event follows; that is where the reconnect is scheduled.
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      if (this.stopped) return;
      this.scheduleReopen(opened);
    };
  }

  /** After a socket closed (or could not be prepared): tell the owner about open failures, then try again after a backoff. */
  private scheduleReopen(hadOpened: boolean): void {
    if (!hadOpened) this.options.onOpenFailure(++this.openFailures);
    if (this.stopped) return; // the failure handler may have given up on sockets
    this.options.onState("reconnecting");
    this.timer = setTimeout(() => this.open("reconnecting"), backoffDelay(this.attempt++, this.options.backoff));
  }

  private checkAlive(): void {
    if (this.socket?.readyState !== OPEN) return;
    if (Date.now() - this.lastHeard > 2 * this.options.heartbeatMs) {
      this.wake();
      return;
    }
    this.socket.send("ping");
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close();
    } catch {
      // Closing a socket that never connected may throw on some platforms; it is gone either way.
    }
  }
}
