/**
 * How a site configures the widget: attributes on its script tag, or `window.stratusSettings` (set
 * before the script loads; it wins over attributes).
 *
 *   <script src="https://chat.example.com/widget/v0.1.0/stratus-widget.js" data-bot="ecommerce" async></script>
 */
export interface WidgetSettings {
  /** The Stratus gateway; default: where the script was loaded from. */
  baseUrl: string;
  /** The widget's stylesheet (next to the script). */
  stylesheet: string;
  bot?: string;
  /** UI and conversation language; default: the page's `lang`, then the browser's languages. */
  locale?: string;
  /** The panel's title; default: the bot's name. */
  title?: string;
  position: "left" | "right";
  theme: "auto" | "light" | "dark";
  /** A CSP nonce for the stylesheet link (default: the script tag's own nonce). */
  nonce?: string;
  /** Open the panel as soon as the widget is ready. */
  open: boolean;
  transport?: "auto" | "websocket" | "long-poll";
  /**
   * The signed-in user's token, signed by the site's backend (docs/users.md): the widget resumes the
   * user's latest conversation, from any device. `data-user-token` or `stratusSettings.userToken`.
   */
  userToken?: string;
  /** `stratusSettings.refreshUserToken`: returns a fresh user token when the gateway refuses an expired one. */
  refreshUserToken?: () => Promise<string>;
}

type RawSettings = Partial<Record<keyof WidgetSettings, unknown>>;

const oneOf = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T =>
  typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
const text = (value: unknown): string | undefined => (typeof value === "string" && value.trim() !== "" ? value.trim() : undefined);

export function readSettings(script: HTMLScriptElement | null, global: RawSettings | undefined): WidgetSettings {
  const data = script?.dataset ?? {};
  const raw: RawSettings = {
    baseUrl: data.baseUrl,
    bot: data.bot,
    locale: data.locale,
    title: data.title,
    position: data.position,
    theme: data.theme,
    nonce: data.nonce ?? (script?.nonce || undefined),
    open: data.open,
    transport: data.transport,
    userToken: data.userToken,
    ...global,
  };
  const scriptUrl = script?.src ? new URL(script.src, location.href) : new URL(location.href);
  const settings: WidgetSettings = {
    baseUrl: (text(raw.baseUrl) ?? scriptUrl.origin).replace(/\/+$/, ""),
    stylesheet: new URL("stratus-widget.css", scriptUrl).toString(),
    position: oneOf(raw.position, ["left", "right"], "right"),
    theme: oneOf(raw.theme, ["auto", "light", "dark"], "auto"),
    open: raw.open === true || raw.open === "true" || raw.open === "",
  };
  const bot = text(raw.bot);
  const locale = text(raw.locale);
  const title = text(raw.title);
  const nonce = text(raw.nonce);
  if (bot) settings.bot = bot;
  if (locale) settings.locale = locale;
  if (title) settings.title = title;
  if (nonce) settings.nonce = nonce;
  const userToken = text(raw.userToken);
  if (userToken) settings.userToken = userToken;
  const refresh = raw.refreshUserToken;
  if (typeof refresh === "function") settings.refreshUserToken = async () => String(await (refresh as () => unknown)());
  if (raw.transport !== undefined) settings.transport = oneOf(raw.transport, ["auto", "websocket", "long-poll"], "auto");
  return settings;
}
