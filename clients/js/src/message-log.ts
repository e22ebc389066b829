import type { Message } from "./types.ts";

export interface Accepted {
  /** Messages seen for the first time, in seq order, with no gap before them. */
  delivered: Message[];
  /** Messages already seen (a replay after a reconnect, or a reply seen over two paths). */
  duplicates: number;
  /** Set when a message arrived ahead of one still missing: fetch the messages after this seq. */
  missingAfter: number | null;
}

/**
 * The client's copy of the transcript. The server numbers messages 1, 2, 3, … with no hole (`seq`),
 * so the copy is complete up to `lastSeq` by construction: a message at or below it is a duplicate,
 * the next one is delivered, and one further ahead waits until the gap before it is filled.
 */
export class MessageLog {
  private readonly ordered: Message[] = [];
  private readonly ahead = new Map<number, Message>();

  get lastSeq(): number {
    return this.ordered.at(-1)?.seq ?? 0;
  }

  get messages(): readonly Message[] {
    return this.ordered;
  }

  accept(messages: Iterable<Message>): Accepted {
    let duplicates = 0;
    for (const message of messages) {
      if (message.seq <= this.lastSeq || this.ahead.has(message.seq)) duplicates += 1;
      else this.ahead.set(message.seq, message);
    }
    const delivered: Message[] = [];
    for (let next = this.ahead.get(this.lastSeq + 1); next; next = this.ahead.get(this.lastSeq + 1)) {
      this.ahead.delete(next.seq);
      this.ordered.push(next);
      delivered.push(next);
    }
    return { delivered, duplicates, missingAfter: this.ahead.size > 0 ? this.lastSeq : null };
  }

  clear(): void {
    this.ordered.length = 0;
    this.ahead.clear();
  }
}
