/**
 * The operator inbox at /inbox: the conversations waiting for a person (newest first, from the
 * bots' directories), each one's live transcript, replying as the agent and releasing it back to
 * the bot. The operator key is kept for the browser tab only (sessionStorage).
 */
import { StratusClient } from "../../js/src/client.ts";
import { memoryStore } from "../../js/src/storage.ts";
import { StratusError } from "../../js/src/errors.ts";
import type { ConversationListing, Message } from "../../../shared/schemas/index.ts";
import { h } from "../../widget/src/dom.ts";
import { withCardsAsText } from "../../../shared/channel-cards.ts";
import { OperatorApi } from "./operator-api.ts";

const KEY_STORAGE = "stratus:operator-key";
const REFRESH_MS = 3000;

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the inbox page has no #${id}`);
  return element as T;
};

const ui = {
  signIn: byId<HTMLFormElement>("sign-in"),
  key: byId<HTMLInputElement>("operator-key"),
  signInError: byId("sign-in-error"),
  signOut: byId<HTMLButtonElement>("sign-out"),
  desk: byId("desk"),
  botFilter: byId<HTMLSelectElement>("bot-filter"),
  queue: byId<HTMLUListElement>("queue"),
  queueEmpty: byId("queue-empty"),
  more: byId<HTMLButtonElement>("more"),
  title: byId("conversation-title"),
  status: byId("conversation-status"),
  transcript: byId("transcript"),
  reply: byId<HTMLFormElement>("reply"),
  replyText: byId<HTMLTextAreaElement>("reply-text"),
  release: byId<HTMLButtonElement>("release"),
  userPanel: byId("user-panel"),
  userId: byId("user-id"),
  userConversations: byId<HTMLUListElement>("user-conversations"),
  userConversationsEmpty: byId("user-conversations-empty"),
};

let api: OperatorApi | null = null;
let refreshTimer: ReturnType<typeof setInterval> | undefined;
let listed: ConversationListing[] = [];
let nextCursor: string | null = null;
let open: { listing: ConversationListing; client: StratusClient } | null = null;

const AUTHOR = { user: "Customer", bot: "Bot", agent: "Agent" } as const;
const CHANNEL_LABELS: Record<ConversationListing["channel"], string> = {
  web: "web",
  slack: "Slack",
  teams: "Teams",
  telegram: "Telegram",
  whatsapp: "WhatsApp",
  line: "LINE",
  wechat: "WeChat",
};

function describe(listing: ConversationListing): string {
  const when = new Date(listing.updatedAt).toLocaleTimeString();
  const by = listing.handedOffBy === "bot" ? "handed off by the bot" : "taken by an operator";
  // Where the customer writes: the web (widget, app) or a messaging channel, whose chat the replies go to.
  const channel = CHANNEL_LABELS[listing.channel];
  return `${listing.bot} · ${channel} · ${listing.locale ?? "auto"} · ${by} · ${when}`;
}

function showQueue(): void {
  ui.queue.replaceChildren(
    ...listed.map((listing) => {
      const button = h(
        "button",
        { type: "button", "data-id": listing.id, "aria-current": String(open?.listing.id === listing.id) },
        h("span", { class: "excerpt" }, listing.lastMessage ? `${AUTHOR[listing.lastMessage.role]}: ${listing.lastMessage.text}` : "(no messages yet)"),
        h("span", { class: "meta" }, describe(listing)),
      );
      button.addEventListener("click", () => openConversation(listing));
      return h("li", {}, button);
    }),
  );
  ui.queueEmpty.hidden = listed.length > 0;
  ui.more.hidden = nextCursor === null;
}

async function refreshQueue(): Promise<void> {
  if (!api) return;
  try {
    const page = await api.listConversations({ state: "handed_off", bot: ui.botFilter.value || undefined });
    listed = page.conversations;
    nextCursor = page.nextCursor;
    showQueue();
  } catch (error) {
    if (error instanceof StratusError && error.status === 401) signOut("The operator key is no longer valid.");
  }
}

async function loadMore(): Promise<void> {
  if (!api || nextCursor === null) return;
  const page = await api.listConversations({ state: "handed_off", bot: ui.botFilter.value || undefined, cursor: nextCursor });
  listed = [...listed, ...page.conversations.filter((c) => !listed.some((l) => l.id === c.id))];
  nextCursor = page.nextCursor;
  showQueue();
}

function showMessage(message: Message): void {
  // A bot reply's cards (products) as the lines a channel shows them in: the operator sees what the user saw.
  const text = withCardsAsText(message).text;
  ui.transcript.append(h("p", { class: `message ${message.role}`, "data-seq": String(message.seq) }, h("span", { class: "author" }, AUTHOR[message.role]), text));
  ui.transcript.scrollTop = ui.transcript.scrollHeight;
}

/**
 * Beside a signed-in user's conversation: who they are (their host's user id) and their other
 * conversations, most recently active first, each one click away. Hidden for an anonymous conversation.
 */
function showUser(listing: ConversationListing): void {
  ui.userPanel.hidden = listing.user === undefined;
  ui.userConversations.replaceChildren();
  ui.userConversationsEmpty.hidden = true;
  if (!api || listing.user === undefined) return;
  const sub = listing.user;
  ui.userId.textContent = sub;
  api.listUserConversations(sub).then(
    ({ conversations }) => {
      if (open?.listing.id !== listing.id) return;
      const others = conversations.filter((conversation) => conversation.id !== listing.id);
      ui.userConversationsEmpty.hidden = others.length > 0;
      ui.userConversations.replaceChildren(
        ...others.map((conversation) => {
          const button = h("button", { type: "button", "data-id": conversation.id }, `${conversation.bot} · ${new Date(conversation.lastActivity).toLocaleString()}`);
          // Not necessarily waiting for a person: opened to read, as any conversation is. A signed-in
          // user's conversation is a web one (channels' chats have no user token).
          const other: ConversationListing = {
            ...conversation,
            locale: null,
            state: "bot",
            handedOffBy: null,
            user: sub,
            updatedAt: conversation.lastActivity,
            lastMessage: null,
            channel: "web",
          };
          button.addEventListener("click", () => openConversation(other));
          return h("li", {}, button);
        }),
      );
    },
    () => (ui.userConversationsEmpty.hidden = false),
  );
}

/** Reads the conversation live with the operator key: the SDK resumes it and keeps the socket up. */
function openConversation(listing: ConversationListing): void {
  if (!api) return;
  open?.client.close();
  ui.transcript.replaceChildren();
  ui.title.textContent = `Conversation with ${listing.bot} (${listing.locale ?? "auto"})`;
  ui.reply.hidden = false;
  const store = memoryStore();
  void store.save({
    // The operator key stands in for the conversation token: the SDK sends it in the Authorization
    // header only (socket tickets, reads), and never renews it.
    conversation: { id: listing.id, token: api.key, tokenExpiresAt: "9999-12-31T23:59:59.000Z", bot: listing.bot, locale: listing.locale, timezone: "UTC", createdAt: listing.createdAt },
    outbox: [],
  });
  const client = new StratusClient({ baseUrl: location.origin, store, renewToken: false });
  open = { listing, client };
  client.on("message", showMessage);
  client.on("status", ({ status }) => (ui.status.textContent = status === "connected" ? "Live" : status));
  client.on("handoff", ({ handedOff }) => {
    if (!handedOff) ui.status.textContent = "Released: the bot has this conversation again.";
  });
  client.start().catch((error: unknown) => (ui.status.textContent = `Cannot open: ${String(error)}`));
  showUser(listing);
  showQueue();
  ui.replyText.focus();
}

function signOut(reason = ""): void {
  sessionStorage.removeItem(KEY_STORAGE);
  api = null;
  open?.client.close();
  open = null;
  ui.userPanel.hidden = true;
  clearInterval(refreshTimer);
  ui.desk.hidden = true;
  ui.signOut.hidden = true;
  ui.signIn.hidden = false;
  ui.signInError.textContent = reason;
  ui.key.focus();
}

async function signIn(key: string): Promise<void> {
  const candidate = new OperatorApi(location.origin, key);
  try {
    await candidate.listConversations({ state: "handed_off", limit: 1 });
  } catch (error) {
    signOut(error instanceof StratusError && error.status === 401 ? "That is not the operator key." : `Cannot reach the server: ${String(error)}`);
    return;
  }
  api = candidate;
  sessionStorage.setItem(KEY_STORAGE, key);
  ui.signIn.hidden = true;
  ui.signOut.hidden = false;
  ui.desk.hidden = false;
  const catalog = await candidate.listBots().catch(() => null);
  ui.botFilter.replaceChildren(new Option("All bots", ""), ...(catalog?.bots ?? []).map((bot) => new Option(bot.name, bot.id)));
  await refreshQueue();
  refreshTimer = setInterval(() => void refreshQueue(), REFRESH_MS);
}

ui.signIn.addEventListener("submit", (event) => {
  event.preventDefault();
  void signIn(ui.key.value.trim());
});
ui.signOut.addEventListener("click", () => signOut());
ui.botFilter.addEventListener("change", () => void refreshQueue());
ui.more.addEventListener("click", () => void loadMore());
ui.reply.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = ui.replyText.value.trim();
  if (!api || !open || text === "") return;
  ui.replyText.value = "";
  // The agent's message comes back over the conversation's socket like every other message.
  api.reply(open.listing.id, text).catch((error: unknown) => (ui.status.textContent = `Not sent: ${String(error)}`));
});
ui.release.addEventListener("click", () => {
  if (!api || !open) return;
  const { id } = open.listing;
  api.release(id).then(
    async () => {
      ui.reply.hidden = true;
      await refreshQueue();
    },
    (error: unknown) => (ui.status.textContent = `Not released: ${String(error)}`),
  );
});

const savedKey = sessionStorage.getItem(KEY_STORAGE);
if (savedKey) void signIn(savedKey);
else signOut();
