import { fillCount, type UiStrings } from "../../../shared/languages/ui-strings.ts";
import type { ConnectionStatus } from "../../js/src/client.ts";
import type { StreamingReply } from "../../js/src/reply-streams.ts";
import type { OutgoingMessage } from "../../js/src/storage.ts";
import type { Locale, Message } from "../../js/src/types.ts";
import { h, icon, ICONS } from "./dom.ts";
import { StreamBubbles } from "./stream-bubbles.ts";

export interface ViewActions {
  toggle(): void;
  close(): void;
  send(text: string): void;
}

/**
 * The widget's DOM inside its shadow root: a launcher button and a non-modal chat panel. It only
 * shows what it is told; the controller (widget.ts) decides. Every message goes in as text.
 */
export class WidgetView {
  readonly launcher: HTMLButtonElement;
  private readonly badge = h("span", { class: "badge", "aria-hidden": "true", hidden: true });
  private readonly panel: HTMLElement;
  private readonly title = h("h2", { id: "stratus-title", class: "title" });
  private readonly status = h("p", { class: "status", role: "status" });
  private readonly closeButton: HTMLButtonElement;
  private readonly transcript = h("div", { class: "transcript", role: "log", "aria-live": "polite", tabindex: "0" });
  private readonly typing = h("p", { class: "typing", hidden: true }, h("span", { class: "dots", "aria-hidden": "true" }), h("span", {}));
  private readonly quickReplies = h("div", { class: "quick-replies", role: "group", hidden: true });
  private readonly input = h("textarea", { class: "input", rows: "1", maxlength: "4000", enterkeyhint: "send" });
  private readonly sendButton = h("button", { class: "send", type: "submit" }, icon(ICONS.send));
  private readonly pending = new Map<string, HTMLElement>();
  private readonly streams = new StreamBubbles(this.transcript);
  private typingWanted = false;
  private strings: UiStrings;
  private statusNow: ConnectionStatus = "idle";
  private unread = 0;

  constructor(
    root: ParentNode,
    strings: UiStrings,
    locale: Locale,
    private readonly actions: ViewActions,
  ) {
    this.strings = strings;
    this.launcher = h("button", { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "stratus-panel" }, icon(ICONS.chat), this.badge);
    this.closeButton = h("button", { class: "close", type: "button" }, icon(ICONS.close));
    const form = h("form", { class: "composer" }, this.input, this.sendButton);
    this.panel = h(
      "section",
      { id: "stratus-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "stratus-title", hidden: true },
      h("header", { class: "header" }, h("div", {}, this.title, this.status), this.closeButton),
      this.transcript,
      this.typing,
      this.quickReplies,
      form,
    );
    this.launcher.addEventListener("click", () => actions.toggle());
    this.closeButton.addEventListener("click", () => actions.close());
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.stopPropagation();
        actions.close();
      }
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.submit();
    });
    this.input.addEventListener("keydown", (event) => {
      // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition (Chinese) is not a send.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submit();
      }
    });
    root.append(this.launcher, this.panel);
    this.applyStrings(strings, locale, undefined);
  }

  /** Relabels everything in another language (the transcript itself is what was said, unchanged). */
  applyStrings(strings: UiStrings, locale: Locale, title: string | undefined): void {
    this.strings = strings;
    this.panel.setAttribute("lang", locale);
    this.launcher.setAttribute("lang", locale);
    this.title.textContent = title ?? strings.title;
    this.closeButton.setAttribute("aria-label", strings.closeChat);
    this.transcript.setAttribute("aria-label", strings.conversation);
    this.input.setAttribute("aria-label", strings.messageLabel);
    this.input.setAttribute("placeholder", strings.placeholder);
    this.sendButton.setAttribute("aria-label", strings.send);
    this.quickReplies.setAttribute("aria-label", strings.suggestedReplies);
    (this.typing.lastChild as HTMLElement).textContent = strings.typing;
    this.setStatus(this.statusNow);
    this.setUnread(this.unread);
  }

  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      this.scrollToEnd();
      this.input.focus();
    }
  }

  focusLauncher(): void {
    this.launcher.focus();
  }

  setUnread(count: number): void {
    this.unread = count;
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 99 ? "99+" : String(count);
    this.launcher.setAttribute("aria-label", count === 0 ? this.strings.openChat : fillCount(this.strings.openChatUnread, count));
  }

  setStatus(status: ConnectionStatus): void {
    this.statusNow = status;
    const text: Record<ConnectionStatus, string> = {
      idle: "",
      connecting: this.strings.connecting,
      connected: this.strings.connected,
      reconnecting: this.strings.reconnecting,
      offline: this.strings.offline,
      closed: this.strings.unavailable,
    };
    this.status.textContent = text[status];
    this.status.dataset.status = status;
    for (const item of this.pending.values()) this.describePending(item);
  }

  showMessage(message: Message): void {
    const author = { user: this.strings.you, bot: this.strings.bot, agent: this.strings.agent }[message.role];
    const element = h("div", { class: `message ${message.role}`, "data-seq": String(message.seq) }, h("span", { class: "sr-only" }, `${author}: `), h("p", {}, message.text));
    if (message.role === "bot" && message.cards !== undefined && message.cards.length > 0) element.append(this.cardList(message.cards));
    if (!this.streams.place(message, element)) this.transcript.append(element);
    this.keepPendingLast();
    this.scrollToEnd();
  }

  /** A line about the conversation itself (a person joined, the assistant is back). */
  showNotice(text: string): void {
    this.transcript.append(h("p", { class: "notice" }, text));
    this.keepPendingLast();
    this.scrollToEnd();
  }

  /** Messages written but not yet stored by the server, after the transcript. */
  showOutbox(outbox: readonly OutgoingMessage[]): void {
    const keep = new Set(outbox.map((entry) => entry.clientMessageId));
    for (const [id, item] of this.pending) {
      if (!keep.has(id)) {
        item.remove();
        this.pending.delete(id);
      }
    }
    for (const entry of outbox) {
      if (this.pending.has(entry.clientMessageId)) continue;
      const item = h("div", { class: "message user pending" }, h("p", {}, entry.text), h("small", { class: "delivery" }));
      this.pending.set(entry.clientMessageId, item);
      this.describePending(item);
      this.transcript.append(item);
    }
    this.scrollToEnd();
  }

  showFailed(text: string): void {
    this.transcript.append(h("div", { class: "message user failed" }, h("p", {}, text), h("small", { class: "delivery" }, this.strings.notSent)));
    this.scrollToEnd();
  }

  setTyping(typing: boolean): void {
    this.typingWanted = typing;
    // A reply being written shows itself (a growing bubble with a caret) instead of the dots.
    this.typing.hidden = !typing || this.streams.active;
  }

  /** A reply the LLM is writing; `replacementShown`: the stored reply that ends it is shown already. */
  showStream(reply: StreamingReply, replacementShown: boolean): void {
    if (this.streams.show(reply, replacementShown)) this.keepPendingLast();
    this.setTyping(this.typingWanted);
    this.scrollToEnd();
  }

  /**
   * A reply's cards (products): picture, name, price, why, and buttons. A button sends its text as
   * the user's message, which the bot answers as that button.
   */
  private cardList(cards: NonNullable<Message["cards"]>): HTMLElement {
    return h(
      "ul",
      { class: "cards" },
      ...cards.map((card) =>
        h(
          "li",
          { class: "card" },
          // Only a web address or a path on this site: never a data: or javascript: URL.
          card.imageUrl !== undefined && /^(https?:\/\/|\/(?!\/))/i.test(card.imageUrl)
            ? h("img", { class: "card-image", src: card.imageUrl, alt: "", loading: "lazy", referrerpolicy: "no-referrer", width: "56", height: "56" })
            : null,
          h(
            "div",
            { class: "card-body" },
            h("p", { class: "card-title" }, card.title),
            card.price === undefined ? null : h("p", { class: "card-price" }, card.price),
            card.subtitle === undefined ? null : h("p", { class: "card-subtitle" }, card.subtitle),
            card.buttons.length === 0
              ? null
              : h(
                  "div",
                  { class: "card-buttons" },
                  ...card.buttons.map((button) => {
                    const element = h("button", { type: "button", class: "card-button", "aria-label": button.text }, button.title);
                    element.addEventListener("click", () => this.actions.send(button.text));
                    return element;
                  }),
                ),
          ),
        ),
      ),
    );
  }

  setQuickReplies(replies: readonly string[]): void {
    this.quickReplies.replaceChildren(
      ...replies.map((reply) => {
        const button = h("button", { type: "button", class: "quick-reply" }, reply);
        button.addEventListener("click", () => this.actions.send(reply));
        return button;
      }),
    );
    this.quickReplies.hidden = replies.length === 0;
  }

  clearTranscript(): void {
    this.streams.clear();
    this.transcript.replaceChildren();
    this.pending.clear();
    this.setQuickReplies([]);
    this.setTyping(false);
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (text === "") return;
    this.input.value = "";
    this.actions.send(text);
    this.input.focus();
  }

  private describePending(item: HTMLElement): void {
    const note = item.querySelector(".delivery");
    if (note) note.textContent = this.statusNow === "connected" ? this.strings.sending : this.strings.waitingForNetwork;
  }

  private keepPendingLast(): void {
    for (const item of this.pending.values()) this.transcript.append(item);
  }

  private scrollToEnd(): void {
    this.transcript.scrollTop = this.transcript.scrollHeight;
  }
}
