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
export type SocketConstructor = new (url: string) => SocketLike;

const OPEN = 1;

export interface SocketChannelOptions {
  /** The address to open, built at each attempt (it carries `after=` the last seq seen). */
  url(): string;
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
 * with jitter, from the last message seen (the caller's `url()`), until `stop()`.
 */
export class SocketChannel implements LiveChannel {
  private socket: SocketLike | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private openFailures = 0;
  private stopped = true;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;

  constructor(private readonly options: SocketChannelOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.open("connecting");
  }

  stop(): void {
    this.stopped = true;
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
    let opened = false;
    const socket = new this.options.WebSocket(this.options.url());
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
      if (!opened) this.options.onOpenFailure(++this.openFailures);
      if (this.stopped) return; // the failure handler may have given up on sockets
      this.options.onState("reconnecting");
      this.timer = setTimeout(() => this.open("reconnecting"), backoffDelay(this.attempt++, this.options.backoff));
    };
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
