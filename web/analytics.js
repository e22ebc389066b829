// The analytics page: the operator signs in with the operator key (kept in this tab's
// sessionStorage, sent as a bearer header, never in a URL), picks a bot, a locale and a range, and
// sees GET /v1/analytics refreshed every few seconds. Charts: uPlot (served from /vendor/, built by
// `npm run build:web`). Every text is set with textContent: nothing a user wrote becomes HTML.
import { texts } from "/analytics-texts.js";

const KEY_STORAGE = "stratus.operatorKey";
const LANGUAGE_STORAGE = "stratus.analyticsLanguage";
const REFRESH_MS = 5000;
const COLORS = { turns: "#2563eb", fallbacks: "#d97706", outOfScope: "#9333ea", handoffs: "#dc2626", p50: "#059669", p95: "#dc2626" };

const $ = (id) => document.getElementById(id);
const ui = {
  language: $("ui-language"),
  login: $("login"),
  key: $("key"),
  loginError: $("login-error"),
  dashboard: $("dashboard"),
  bot: $("bot"),
  locale: $("locale"),
  range: $("range"),
  updated: $("updated"),
  signOut: $("sign-out"),
};

let language = initialLanguage();
let key = sessionStorage.getItem(KEY_STORAGE);
let bots = [];
let latest = null;
let charts = null;
let timer = null;

function initialLanguage() {
  const saved = localStorage.getItem(LANGUAGE_STORAGE);
  if (saved && saved in texts) return saved;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** A text of the interface language, with {placeholders} filled in. */
function t(name, values = {}) {
  const template = texts[language]?.[name] ?? texts.en[name] ?? name;
  return template.replace(/\{(\w+)\}/g, (whole, field) => (field in values ? String(values[field]) : whole));
}

const intlLocale = () => (language === "zh" ? "zh-CN" : "en");
const number = (value) => new Intl.NumberFormat(intlLocale()).format(value);
const percent = (rate) => (rate === null ? "–" : new Intl.NumberFormat(intlLocale(), { style: "percent", maximumFractionDigits: 1 }).format(rate));
const ms = (value) => (value === null ? "–" : new Intl.NumberFormat(intlLocale(), { maximumFractionDigits: 0 }).format(value));

function applyTexts() {
  document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const element of document.querySelectorAll("[data-text]")) element.textContent = t(element.dataset.text);
  ui.language.value = language;
  fillLocales();
  if (latest) render(latest, { rebuildCharts: true });
}

async function loadBots() {
  const response = await fetch("/v1/bots");
  const catalog = await response.json();
  bots = catalog.bots;
  ui.bot.replaceChildren(
    ...bots.map((bot) => {
      const option = document.createElement("option");
      option.value = bot.id;
      option.textContent = bot.name;
      return option;
    }),
  );
  ui.bot.value = catalog.defaultBot;
  fillLocales();
}

/** The locales the chosen bot declares, named in the interface language. */
function fillLocales() {
  const bot = bots.find((entry) => entry.id === ui.bot.value);
  const chosen = ui.locale.value;
  const names = new Intl.DisplayNames([intlLocale()], { type: "language" });
  const all = document.createElement("option");
  all.value = "";
  all.textContent = t("allLocales");
  const options = (bot?.locales ?? []).map((locale) => {
    const option = document.createElement("option");
    option.value = locale;
    option.textContent = names.of(locale) ?? locale;
    return option;
  });
  ui.locale.replaceChildren(all, ...options);
  ui.locale.value = options.some((option) => option.value === chosen) ? chosen : "";
}

async function fetchAnalytics() {
  const minutes = Number(ui.range.value);
  const params = new URLSearchParams({ bot: ui.bot.value, from: new Date(Date.now() - minutes * 60_000).toISOString() });
  if (ui.locale.value) params.set("locale", ui.locale.value);
  const response = await fetch(`/v1/analytics?${params}`, { headers: { Authorization: `Bearer ${key}` }, cache: "no-store" });
  if (response.status === 401) {
    signOut(t("wrongKey"));
    return null;
  }
  if (!response.ok) throw new Error(`analytics: ${response.status}`);
  return response.json();
}

async function refresh({ rebuildCharts = false } = {}) {
  clearTimeout(timer);
  if (!key) return;
  try {
    const data = await fetchAnalytics();
    if (!data) return;
    latest = data;
    ui.login.hidden = true;
    ui.dashboard.hidden = false;
    render(data, { rebuildCharts });
  } catch {
    ui.updated.textContent = t("unreachable");
  }
  if (key) timer = setTimeout(() => void refresh(), REFRESH_MS);
}

function signOut(message = "") {
  clearTimeout(timer);
  key = null;
  latest = null;
  sessionStorage.removeItem(KEY_STORAGE);
  ui.dashboard.hidden = true;
  ui.login.hidden = false;
  ui.loginError.textContent = message;
  ui.key.value = "";
}

function render(data, { rebuildCharts }) {
  const { totals } = data;
  $("kpi-conversations").textContent = number(totals.conversations);
  $("kpi-containment").textContent = percent(totals.containmentRate);
  $("kpi-messages").textContent = `${number(totals.messages.user)} / ${number(totals.messages.bot)} / ${number(totals.messages.agent)}`;
  $("kpi-fallback").textContent = percent(totals.fallbackRate);
  $("kpi-out-of-scope").textContent = percent(totals.outOfScopeRate);
  $("kpi-handoffs").textContent = `${number(totals.handoffs.bot)} / ${number(totals.handoffs.operator)}`;
  $("kpi-action-failures").textContent = `${number(totals.actions.failures)} / ${number(totals.actions.calls)}`;
  $("kpi-latency").textContent = `${[totals.latency.p50Ms, totals.latency.p95Ms, totals.latency.p99Ms].map(ms).join(" / ")} ms`;
  renderCharts(data.series, rebuildCharts);
  // Each bot version side by side (a canary beside the current version; before and after a release).
  fillTable("versions", data.versions ?? [], (row) => [`v${row.version}`, number(row.conversations), percent(row.containmentRate), percent(row.fallbackRate), number(row.handoffs.total)]);
  fillTable("intents", totals.intents, (row) => [row.intent, number(row.count), shareCell(row.share)]);
  fillTable("actions", totals.actions.byAction, (row) => [row.action, number(row.calls), number(row.failures)]);
  const { unrecognised } = data;
  $("unrecognised-note").textContent = unrecognised.textKept
    ? t("unrecognisedKept", { count: number(unrecognised.count), days: unrecognised.textRetentionDays })
    : t("unrecognisedCountsOnly", { count: number(unrecognised.count) });
  fillTable("unrecognised", unrecognised.top, (row) => [row.text, number(row.count), new Date(row.lastSeen).toLocaleString(intlLocale())]);
  ui.updated.textContent = t("updated", { time: new Date(data.generatedAt).toLocaleTimeString(intlLocale()) });
}

function shareCell(share) {
  const cell = document.createElement("span");
  const meter = document.createElement("meter");
  meter.min = 0;
  meter.max = 1;
  meter.value = share;
  cell.append(meter, ` ${percent(share)}`);
  return cell;
}

/** Rows of cells: a string becomes a text node, an element is put in as it is. */
function fillTable(id, rows, cells) {
  const body = $(id).tBodies[0];
  if (rows.length === 0) {
    const row = body.insertRow();
    const cell = row.insertCell();
    cell.colSpan = $(id).tHead?.rows[0]?.cells.length ?? 3;
    cell.className = "empty";
    cell.textContent = t("none");
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(
    ...rows.map((data) => {
      const row = document.createElement("tr");
      for (const content of cells(data)) {
        const cell = row.insertCell();
        cell.append(content);
      }
      return row;
    }),
  );
}

function timeLabel(x) {
  const span = (x.at(-1) ?? 0) - (x[0] ?? 0);
  const format = new Intl.DateTimeFormat(intlLocale(), span <= 2 * 86_400 ? { hour: "2-digit", minute: "2-digit" } : { month: "numeric", day: "numeric" });
  return (seconds) => format.format(seconds * 1000);
}

function renderCharts(series, rebuild) {
  const x = series.map((point) => Date.parse(point.start) / 1000);
  const traffic = [x, series.map((p) => p.turns), series.map((p) => p.fallbacks), series.map((p) => p.outOfScope), series.map((p) => p.handoffs)];
  const latency = [x, series.map((p) => p.p50Ms), series.map((p) => p.p95Ms)];
  if (charts && !rebuild) {
    charts.traffic.setData(traffic);
    charts.latency.setData(latency);
    return;
  }
  charts?.traffic.destroy();
  charts?.latency.destroy();
  const line = (label, stroke) => ({ label, stroke, width: 2 });
  // Latency has no value in a minute without turns: its points are drawn, and lines span the gaps.
  const sparse = (label, stroke) => ({ ...line(label, stroke), spanGaps: true, points: { show: true, size: 5, fill: stroke } });
  const options = (target, seriesOptions) => ({
    width: Math.max(280, $(target).clientWidth),
    height: 220,
    scales: { x: { time: true } },
    // Time labels in the interface language: hours within two days, dates beyond.
    axes: [{ values: (_chart, splits) => splits.map(timeLabel(x)) }, {}],
    series: [{ label: t("time"), value: (_chart, value) => (value === null ? "–" : new Date(value * 1000).toLocaleString(intlLocale())) }, ...seriesOptions],
  });
  charts = {
    traffic: new uPlot(
      options("traffic-chart", [
        line(t("turns"), COLORS.turns),
        line(t("fallbacks"), COLORS.fallbacks),
        line(t("outOfScope"), COLORS.outOfScope),
        line(t("handoffsSeries"), COLORS.handoffs),
      ]),
      traffic,
      $("traffic-chart"),
    ),
    latency: new uPlot(options("latency-chart", [sparse(t("p50"), COLORS.p50), sparse(t("p95"), COLORS.p95)]), latency, $("latency-chart")),
  };
}

ui.login.addEventListener("submit", (event) => {
  event.preventDefault();
  key = ui.key.value.trim();
  ui.loginError.textContent = "";
  sessionStorage.setItem(KEY_STORAGE, key);
  void refresh({ rebuildCharts: true });
});
ui.signOut.addEventListener("click", () => signOut());
ui.language.addEventListener("change", () => {
  language = ui.language.value;
  localStorage.setItem(LANGUAGE_STORAGE, language);
  applyTexts();
});
ui.bot.addEventListener("change", () => {
  fillLocales();
  void refresh({ rebuildCharts: true });
});
ui.locale.addEventListener("change", () => void refresh({ rebuildCharts: true }));
ui.range.addEventListener("change", () => void refresh({ rebuildCharts: true }));

await loadBots();
applyTexts();
if (key) void refresh({ rebuildCharts: true });
