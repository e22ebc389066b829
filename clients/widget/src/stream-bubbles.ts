import type { StreamingReply } from "../../js/src/reply-streams.ts";
import { h } from "./dom.ts";

/**
 * Bot replies shown while the LLM writes them (docs/streaming.md): a bubble whose text grows, with a
 * caret. When the stream ends, the bubble waits for the stored reply that replaces it and the reply
 * takes its place — the whole answer, or the bot's fallback if the stream broke off — so nothing
 * jumps; a stream ended with nothing in its place is removed. The bubble is hidden from assistive
 * technology (the live transcript would read every growth): the stored reply is announced once.
 */
export class StreamBubbles {
  /** Bubbles being written, by stream id. */
  private readonly writing = new Map<string, HTMLElement>();
  /** Ended bubbles waiting for the stored reply, by its message id. */
  private readonly waiting = new Map<string, HTMLElement>();

  constructor(private readonly transcript: HTMLElement) {}

  /** Whether a reply is being written now (the typing indicator gives way to it). */
  get active(): boolean {
    return this.writing.size > 0;
  }

  /** Shows a stream's update; `replacementShown`: its stored reply is in the transcript already. Returns whether a bubble was added. */
  show(reply: StreamingReply, replacementShown: boolean): boolean {
    const bubble = this.writing.get(reply.id);
    if (!reply.done) {
      if (bubble) {
        setText(bubble, reply.text);
        return false;
      }
      const created = h("div", { class: "message bot streaming", "aria-hidden": "true", "data-stream": reply.id }, h("p", {}, reply.text, h("span", { class: "caret" })));
      this.writing.set(reply.id, created);
      this.transcript.append(created);
      return true;
    }
    if (!bubble) return false;
    this.writing.delete(reply.id);
    if (reply.messageId === null || replacementShown) {
      bubble.remove();
      return false;
    }
    bubble.querySelector(".caret")?.remove();
    bubble.classList.replace("streaming", "streamed");
    this.waiting.set(reply.messageId, bubble);
    return false;
  }

  /**
   * Puts a stored message where it belongs: in place of the bubble it replaces, or before the
   * bubbles still waiting (a turn's earlier replies come first). False: the caller appends it.
   */
  place(message: { id: string }, element: HTMLElement): boolean {
    const replaced = this.waiting.get(message.id);
    if (replaced) {
      this.waiting.delete(message.id);
      replaced.replaceWith(element);
      return true;
    }
    const [firstWaiting] = this.waiting.values();
    if (!firstWaiting) return false;
    firstWaiting.before(element);
    return true;
  }

  clear(): void {
    for (const bubble of [...this.writing.values(), ...this.waiting.values()]) bubble.remove();
    this.writing.clear();
    this.waiting.clear();
  }
}

function setText(bubble: HTMLElement, text: string): void {
  const paragraph = bubble.querySelector("p");
  const node = paragraph?.firstChild;
  if (node?.nodeType === Node.TEXT_NODE) node.textContent = text;
  else paragraph?.prepend(text);
}
