/**
 * An error the client reports: the gateway's `{"error":{"code","message"}}` with its HTTP status, or
 * `network_error` (status null) when no answer came back at all.
 */
export class StratusError extends Error {
  override readonly name = "StratusError";

  constructor(
    /** The gateway's error code (shared/errors.ts), or `network_error`. */
    readonly code: string,
    message: string,
    /** The HTTP status; null when the request never got an answer. */
    readonly status: number | null,
    /** For a message that could not be sent: which one. */
    readonly clientMessageId?: string,
    /** How long the server asked the client to wait (a 429's `Retry-After`), in ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  /**
   * Worth trying again later with the same request: no answer, a rate limit, or a server fault.
   * Anything else (invalid text, a clientMessageId conflict, a wrong token) fails the same way again.
   */
  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status >= 500;
  }

  withClientMessageId(clientMessageId: string): StratusError {
    return new StratusError(this.code, this.message, this.status, clientMessageId, this.retryAfterMs);
  }
}
