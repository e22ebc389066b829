import { UI_LOCALES, UI_STRINGS } from "../../../shared/languages/ui-strings.ts";
import { StratusApi } from "../../js/src/api.ts";
import { StratusClient } from "../../js/src/client.ts";
import { localStorageStore, type OutgoingMessage } from "../../js/src/storage.ts";
import type { BotCatalogEntry, Locale, Message } from "../../js/src/types.ts";
import { Emitter } from "../../js/src/emitter.ts";
import { h } from "./dom.ts";
import { pageLocales, pickLocale } from "./locale.ts";
import type { WidgetSettings } from "./settings.ts";
import { WidgetView } from "./view.ts";

export interface WidgetEvents {
  /** Bot and agent messages not yet seen by the user (the panel was closed when they came). */
  unread: number;
  open: undefined;
  close: undefined;
  ready: undefined;
}

/**
 * The widget's controller: one StratusClient per (bot, locale), its events shown by the view, the
 * unread count, and the commands a site can call (open, close, toggle, setLocale, reset).
 */
export class ChatWidget {
  readonly events = new Emitter<WidgetEvents>();
  private client: StratusClient | null = null;
  /** Removes this widget's listeners from the client, so a client being replaced says nothing more. */
  private unsubscribe: (() => void)[] = [];
  private locale: Locale;
  private isOpen = false;
  private unread = 0;
  private outbox: readonly OutgoingMessage[] = [];
  /** Whether "a person has joined" was said for the current handoff (it is, before the first agent message). */
  private personJoined = false;
  private readonly view: WidgetView;

  private constructor(
    private readonly settings: WidgetSettings,
    private readonly shadow: ShadowRoot,
    content: HTMLElement,
    private readonly bot: BotCatalogEntry | undefined,
    locale: Locale,
  ) {
    this.locale = locale;
    this.view = new WidgetView(content, UI_STRINGS[locale], locale, {
      toggle: () => this.toggle(),
      close: () => this.close(),
      send: (text) => this.send(text),
    });
    this.view.applyStrings(UI_STRINGS[locale], locale, this.title());
  }

  /** Builds the widget at the end of the page's body; resumes a stored conversation at once. */
  static async mount(settings: WidgetSettings): Promise<ChatWidget> {
    const host = document.createElement("stratus-widget");
    host.dataset.position = settings.position;
    host.dataset.theme = settings.theme;
    // Isolated from the page's CSS; open, so that tests and the site's scripts can look inside.
    const shadow = host.attachShadow({ mode: "open" });
    const content = h("div", { class: "root", hidden: true });
    const stylesheet = h("link", { rel: "stylesheet", href: settings.stylesheet, nonce: settings.nonce });
    // Shown once styled (an unstyled flash of the panel would cover the page), or anyway on failure.
    const styled = new Promise<void>((resolve) => {
      stylesheet.addEventListener("load", () => resolve(), { once: true });
      stylesheet.addEventListener("error", () => resolve(), { once: true });
    });
    shadow.append(stylesheet, content);

    const catalog = await new StratusApi(settings.baseUrl, (input, init) => fetch(input, init)).listBots().catch(() => undefined);
    const bot = catalog?.bots.find((entry) => entry.id === (settings.bot ?? catalog.defaultBot));
    const locale = pickLocale(pageLocales(settings.locale), bot);
    const widget = new ChatWidget(settings, shadow, content, bot, locale);
    document.body.append(host);
    await styled;
    content.hidden = false;
    if (widget.storedConversationExists()) widget.startClient();
    if (settings.open) widget.open();
    return widget;
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    this.view.setOpen(true);
    if (!this.client) this.startClient();
    this.markRead();
    this.events.emit("open", undefined);
  }

  close(): void {
    if (!this.isOpen) return;
    const focusWasInside = this.shadow.activeElement !== null;
    this.isOpen = false;
    this.view.setOpen(false);
    if (focusWasInside) this.view.focusLauncher();
    this.events.emit("close", undefined);
  }

  toggle(): void {
    if (this.isOpen) this.close();
    else this.open();
  }

  send(text: string): void {
    const client = this.client ?? this.startClient();
    client.send(text);
    this.view.setQuickReplies([]);
  }

  /** Another UI language; each language has its own conversation (the bot answers in it). */
  setLocale(wanted: string): void {
    const locale = pickLocale([wanted], this.bot);
    if (locale === this.locale) return;
    this.locale = locale;
    this.view.applyStrings(UI_STRINGS[locale], locale, this.title());
    this.stopClient();
    if (this.isOpen || this.storedConversationExists()) this.startClient();
  }

  /** Forgets the visitor's conversations (logout): the next open starts a new one. */
  reset(): void {
    this.stopClient();
    for (const locale of UI_LOCALES) {
      localStorage.removeItem(this.storageKey(locale));
      localStorage.removeItem(this.readKey(locale));
    }
    this.close();
    this.setUnread(0);
  }

  private startClient(): StratusClient {
    const client = new StratusClient({
      baseUrl: this.settings.baseUrl,
      bot: this.settings.bot,
      locale: this.conversationLocale(),
      store: localStorageStore(this.storageKey(this.locale)),
      transport: this.settings.transport,
      userToken: this.settings.userToken,
      refreshUserToken: this.settings.refreshUserToken,
    });
    this.client = client;
    this.unsubscribe = [
      client.on("message", (message) => this.onMessage(message)),
      client.on("outbox", (outbox) => {
        this.outbox = outbox;
        this.view.showOutbox(outbox);
      }),
      client.on("typing", (typing) => this.view.setTyping(typing)),
      client.on("stream", (reply) => this.view.showStream(reply, client.messages.some((message) => message.id === reply.messageId))),
      client.on("status", ({ status }) => this.view.setStatus(status)),
      client.on("handoff", ({ handedOff }) => {
        const strings = UI_STRINGS[this.locale];
        this.personJoined = false;
        this.view.showNotice(handedOff ? strings.waitingForPerson : strings.botIsBack);
      }),
      client.on("error", (error) => {
        const failed = error.clientMessageId && this.outbox.find((entry) => entry.clientMessageId === error.clientMessageId);
        if (failed) this.view.showFailed(failed.text);
      }),
    ];
    client.start().catch(() => {
      if (this.client === client) this.view.setStatus("closed");
    });
    return client;
  }

  private stopClient(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.client?.close();
    this.client = null;
    this.view.setStatus("idle");
    this.personJoined = false;
    this.view.clearTranscript();
    this.setUnread(0);
  }

  private onMessage(message: Message): void {
    if (message.role === "agent" && !this.personJoined) {
      this.personJoined = true;
      this.view.showNotice(UI_STRINGS[this.locale].personJoined);
    }
    this.view.showMessage(message);
    this.view.setQuickReplies(message.role === "bot" ? (message.quickReplies ?? []) : []);
    if (message.role === "user") return;
    if (this.isOpen) this.markRead();
    else if (message.seq > this.readSeq()) this.setUnread(this.unread + 1);
  }

  private markRead(): void {
    const lastSeq = this.client?.messages.at(-1)?.seq ?? 0;
    if (lastSeq > this.readSeq()) localStorage.setItem(this.readKey(this.locale), String(lastSeq));
    this.setUnread(0);
  }

  private setUnread(count: number): void {
    if (count === this.unread) return;
    this.unread = count;
    this.view.setUnread(count);
    this.events.emit("unread", count);
  }

  private readSeq(): number {
    return Number(localStorage.getItem(this.readKey(this.locale)) ?? 0) || 0;
  }

  private storedConversationExists(): boolean {
    return localStorage.getItem(this.storageKey(this.locale)) !== null;
  }

  private conversationLocale(): Locale | undefined {
    return this.bot?.locales.includes(this.locale) ? this.locale : undefined;
  }

  private title(): string {
    return this.settings.title ?? this.bot?.name ?? UI_STRINGS[this.locale].title;
  }

  private storageKey(locale: Locale): string {
    return `stratus:${this.settings.bot ?? this.bot?.id ?? "default"}:${locale}`;
  }

  private readKey(locale: Locale): string {
    return `${this.storageKey(locale)}:read`;
  }
}
