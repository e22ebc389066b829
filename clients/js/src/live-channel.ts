/** How the client hears about new messages: a WebSocket, or polling when sockets are unavailable. */
export interface LiveChannel {
  start(): void;
  stop(): void;
  /** Connect or poll again now rather than at the next backoff step (the network is back). */
  wake(): void;
}

/** The channel's own view of its link to the server. */
export type ChannelState = "connecting" | "connected" | "reconnecting";
