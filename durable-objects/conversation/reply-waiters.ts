import type { Message } from "../../shared/schemas/index.ts";

/**
 * Requests that wait (`?wait=`) for the bot's answer to one user message. In memory only: a
 * waiting request keeps the object alive, and after a restart clients simply poll or resend.
 */
export class ReplyWaiters {
  private readonly waiting = new Map<number, Set<(replies: Message[]) => void>>();

  /** Resolves with the replies, or null when `timeoutMs` passes first. */
  wait(seq: number, timeoutMs: number): Promise<Message[] | null> {
    return new Promise((resolve) => {
      const listeners = this.waiting.get(seq) ?? new Set();
      this.waiting.set(seq, listeners);
      const onReplies = (replies: Message[]): void => {
        clearTimeout(timer);
        resolve(replies);
      };
      const timer = setTimeout(() => {
        listeners.delete(onReplies);
        if (listeners.size === 0) this.waiting.delete(seq);
        resolve(null);
      }, timeoutMs);
      listeners.add(onReplies);
    });
  }

  resolve(seq: number, replies: Message[]): void {
    const listeners = this.waiting.get(seq);
    if (!listeners) return;
    this.waiting.delete(seq);
    for (const listener of listeners) listener(replies);
  }
}
