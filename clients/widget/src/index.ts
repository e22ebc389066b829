/**
 * The chat widget's entry point: one script tag on any site.
 *
 *   <script src="https://chat.example.com/widget/v0.1.0/stratus-widget.js" data-bot="ecommerce" async></script>
 *
 * Commands: `Stratus("open" | "close" | "toggle" | "reset")`, `Stratus("setLocale", "zh")`,
 * `Stratus("on" | "off", "unread" | "open" | "close" | "ready", handler)`. Calls made before the
 * script has loaded are queued by this stub (in a site's own script file; no inline script needed):
 *
 *   window.Stratus = window.Stratus || function () { (window.Stratus.q = window.Stratus.q || []).push(arguments); };
 */
import { readSettings, type WidgetSettings } from "./settings.ts";
import { ChatWidget, type WidgetEvents } from "./widget.ts";

type Command = (name: string, ...args: unknown[]) => void;
interface StratusGlobal {
  Stratus?: Command & { q?: ArrayLike<unknown>[]; loaded?: boolean };
  stratusSettings?: Partial<Record<keyof WidgetSettings, unknown>>;
}

const page = window as Window & StratusGlobal;

function run(widget: ChatWidget, name: unknown, args: unknown[]): void {
  switch (name) {
    case "open":
    case "close":
    case "toggle":
    case "reset":
      widget[name]();
      return;
    case "setLocale":
      if (typeof args[0] === "string") widget.setLocale(args[0]);
      return;
    case "on":
    case "off":
      if (typeof args[0] === "string" && typeof args[1] === "function") {
        widget.events[name](args[0] as keyof WidgetEvents, args[1] as (payload: unknown) => void);
      }
      return;
    default:
      console.warn(`Stratus: unknown command ${String(name)}`);
  }
}

function install(): void {
  if (page.Stratus?.loaded) return; // the script was included twice
  const script = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;
  const queued: unknown[][] = Array.from(page.Stratus?.q ?? [], (call) => Array.from(call));
  let widget: ChatWidget | null = null;
  const command: Command & { loaded: boolean } = Object.assign(
    (name: string, ...args: unknown[]) => {
      if (widget) run(widget, name, args);
      else queued.push([name, ...args]);
    },
    { loaded: true },
  );
  page.Stratus = command;
  const settings = readSettings(script, page.stratusSettings);
  const mount = (): void => {
    ChatWidget.mount(settings).then(
      (mounted) => {
        widget = mounted;
        for (const [name, ...args] of queued.splice(0)) run(mounted, name, args);
        mounted.events.emit("ready", undefined);
      },
      (error: unknown) => console.error("Stratus widget failed to start", error),
    );
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
}

install();
