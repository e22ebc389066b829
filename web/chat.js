// The demo chat page: one conversation per bot (kept in localStorage), live over the WebSocket,
// resumed after the last message seen when the connection drops.
const $ = (id) => document.getElementById(id);
const els = {
  bot: $("bot"), locale: $("locale"), status: $("status"), transcript: $("transcript"),
  quick: $("quick-replies"), form: $("composer"), text: $("text"), fresh: $("new"),
};
let conversation = null;
let socket = null;
let lastSeq = 0;
let retryDelay = 500;
let renewTimer;

async function api(path, init = {}) {
  const headers = { "Content-Type": "application/json", ...(conversation ? { Authorization: `Bearer ${conversation.token}` } : {}) };
  const response = await fetch(path, { ...init, headers: { ...headers, ...init.headers } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body.error?.message ?? `HTTP ${response.status}`), { status: response.status });
  return body;
}

const storageKey = () => `stratus:conversation:${els.bot.value}`;

/** A language's own name ("Español", "中文"), from the browser's Intl data; the code if it has none. */
function languageName(code) {
  try {
    const name = new Intl.DisplayNames([code], { type: "language" }).of(code) ?? code;
    return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
  } catch {
    return code;
  }
}

/** The languages the selected bot speaks (from GET /v1/bots), plus "auto" (detected per message). */
function offerLocales() {
  const chosen = els.locale.value;
  const bot = catalog.bots.find((candidate) => candidate.id === els.bot.value);
  els.locale.replaceChildren(new Option("auto", ""), ...(bot?.locales ?? []).map((code) => new Option(languageName(code), code)));
  els.locale.value = [...els.locale.options].some((option) => option.value === chosen) ? chosen : "";
}

async function startConversation(forceNew) {
  setStatus("connecting…");
  conversation = null; // nothing is sent to the previous conversation from here on
  socket?.close();
  els.transcript.replaceChildren();
  els.quick.replaceChildren();
  lastSeq = 0;
  const stored = forceNew ? null : JSON.parse(localStorage.getItem(storageKey()) ?? "null");
  // Saved before tokens expired, or expired since: a new conversation.
  const saved = stored?.tokenExpiresAt && Date.parse(stored.tokenExpiresAt) > Date.now() ? stored : null;
  conversation = saved ?? (await api("/v1/conversations", {
    method: "POST",
    body: JSON.stringify({ bot: els.bot.value, ...(els.locale.value ? { locale: els.locale.value } : {}), timezone: Intl.DateTimeFormat().resolvedOptions().timeZone }),
  }));
  localStorage.setItem(storageKey(), JSON.stringify(conversation));
  // A resumed conversation keeps the language it was started with.
  if ([...els.locale.options].some((option) => option.value === (conversation.locale ?? ""))) els.locale.value = conversation.locale ?? "";
  scheduleRenewal();
  connect();
}

/** The token expires: renew it at half its remaining life while the page is open. */
function scheduleRenewal() {
  clearTimeout(renewTimer);
  const current = conversation;
  const delay = Math.max(0, (Date.parse(current.tokenExpiresAt) - Date.now()) / 2);
  renewTimer = setTimeout(async () => {
    if (conversation !== current) return;
    try {
      Object.assign(current, await api(`/v1/conversations/${current.id}/token`, { method: "POST" }));
      localStorage.setItem(storageKey(), JSON.stringify(current));
      scheduleRenewal();
    } catch (error) {
      if (error.status === 401 || error.status === 404) startConversation(true);
      else setTimeout(scheduleRenewal, 5_000);
    }
  }, Math.min(delay, 2 ** 31 - 1));
}

/**
 * Opens the socket with a single-use ticket minted over an authenticated request and offered as a
 * subprotocol: the conversation token never goes into a URL.
 */
async function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const id = conversation.id;
  let ticket;
  try {
    ({ ticket } = await api(`/v1/conversations/${id}/socket-tickets`, { method: "POST" }));
  } catch (error) {
    if (conversation?.id !== id) return;
    if (error.status === 401 || error.status === 404) return startConversation(true);
    return reconnectLater(id);
  }
  if (conversation?.id !== id) return;
  socket = new WebSocket(`${scheme}://${location.host}/v1/conversations/${id}/ws?after=${lastSeq}`, ["stratus.v1", `stratus.ticket.${ticket}`]);
  socket.onopen = () => { setStatus("connected"); retryDelay = 500; };
  socket.onmessage = (event) => {
    if (conversation?.id !== id) return; // a late frame from the previous conversation
    const frame = JSON.parse(event.data);
    if (frame.type === "message") render(frame.message);
    else if (frame.type === "ready" && frame.lastSeq > lastSeq) catchUp(id);
    else if (frame.type === "error") setStatus(frame.error.message);
  };
  socket.onclose = (event) => {
    if (conversation?.id !== id) return; // replaced by a new conversation
    if (event.code === 1008 || event.code === 4404) return startConversation(true);
    reconnectLater(id);
  };
}

function reconnectLater(id) {
  setStatus("reconnecting…");
  setTimeout(() => conversation?.id === id && connect(), retryDelay);
  retryDelay = Math.min(retryDelay * 2, 10_000);
}

/** The socket replays at most a page: read what is still missing over HTTP, page by page. */
async function catchUp(id) {
  for (;;) {
    const { messages } = await api(`/v1/conversations/${id}/messages?after=${lastSeq}&limit=200`).catch(() => ({ messages: [] }));
    if (conversation?.id !== id) return;
    messages.forEach(render);
    if (messages.length < 200) return;
  }
}

function render(message) {
  if (message.seq <= lastSeq) return; // replayed after a reconnect
  lastSeq = message.seq;
  const item = document.createElement("li");
  item.className = message.role;
  const text = document.createElement("p");
  text.textContent = message.text;
  item.append(text);
  // A reply's cards (products): a line each, and their buttons, which send the button's text.
  if (message.role === "bot" && message.cards?.length) {
    const cards = document.createElement("ul");
    cards.className = "cards";
    for (const card of message.cards) {
      const entry = document.createElement("li");
      entry.textContent = [card.title, card.price, card.subtitle].filter(Boolean).join(" — ");
      for (const cardButton of card.buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = cardButton.title;
        button.setAttribute("aria-label", cardButton.text);
        button.onclick = () => send(cardButton.text);
        entry.append(" ", button);
      }
      cards.append(entry);
    }
    item.append(cards);
  }
  if (message.nlu) {
    const meta = document.createElement("small");
    const entities = message.nlu.entities.map((e) => `${e.entity}=${typeof e.value === "object" ? JSON.stringify(e.value) : e.value}`).join(", ");
    // A replayed answer comes after the fallback this message already got: say so.
    meta.textContent = `${message.replayed ? "late answer · " : ""}${message.nlu.intent.name} ${(message.nlu.intent.confidence * 100).toFixed(0)}%${entities ? ` · ${entities}` : ""}`;
    item.append(meta);
  }
  els.transcript.append(item);
  item.scrollIntoView({ block: "end" });
  els.quick.replaceChildren(
    ...(message.role === "bot" ? message.quickReplies ?? [] : []).map((label) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = label;
      button.onclick = () => send(label);
      return button;
    }),
  );
}

async function send(text) {
  if (!conversation) return setStatus("still connecting — try again in a moment");
  const frame = { type: "message", text, clientMessageId: crypto.randomUUID() };
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  else await api(`/v1/conversations/${conversation.id}/messages`, { method: "POST", body: JSON.stringify({ text, clientMessageId: frame.clientMessageId }) }).catch((error) => setStatus(error.message));
}

function setStatus(text) { els.status.textContent = text; }

els.form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = els.text.value.trim();
  if (!text) return;
  els.text.value = "";
  send(text);
});
els.fresh.addEventListener("click", () => startConversation(true));
els.bot.addEventListener("change", () => {
  offerLocales();
  startConversation(false);
});
els.locale.addEventListener("change", () => startConversation(true));

const catalog = await api("/v1/bots");
for (const bot of catalog.bots) els.bot.append(new Option(`${bot.name} (${bot.id})`, bot.id, false, bot.id === catalog.defaultBot));
offerLocales();
await startConversation(false).catch((error) => setStatus(error.message));
