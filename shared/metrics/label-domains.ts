/**
 * The bounded set each metric label draws its values from. A value outside its set is folded into
 * `other` when it is recorded, so no input — a made-up bot id, a raw path, a new intent name from
 * a model of another deploy — can create a series. Only these values ever become label values:
 *
 *   oneOf      a fixed list (outcomes, stages, queue names …)
 *   bot        the bots of this deployment's catalog
 *   locale     the bot's own locales, and `unknown` (a turn with no understood language)
 *   intent     the bot's own intents, and `out_of_scope`
 *   action     the bot's own backend actions
 *   form       the bot's own forms
 *   route      the gateway's route templates (`/v1/conversations/:id/messages`), never a raw path
 *   method     the methods the gateway's router has for that route
 *   status     an HTTP status code, 100–599
 */
import { ERRORS } from "../errors.ts";
import { OUT_OF_SCOPE } from "../schemas/nlu.ts";

export const OTHER = "other";
/** The locale of a turn nothing understood (no NLU result, no conversation locale). */
export const UNKNOWN_LOCALE = "unknown";

type PerBotKind = "locale" | "intent" | "action" | "form";

export type LabelDomain =
  | { kind: "oneOf"; values: readonly string[] }
  | { kind: "bot" }
  /** A set of the bot named by label `botLabel` of the same series. */
  | { kind: PerBotKind; botLabel: string }
  | { kind: "route" }
  /** A method the router has for the route named by label `routeLabel`. */
  | { kind: "method"; routeLabel: string }
  | { kind: "status" };

export const oneOf = (values: readonly string[]): LabelDomain => ({ kind: "oneOf", values });
export const botId = (): LabelDomain => ({ kind: "bot" });
export const localeOf = (botLabel: string): LabelDomain => ({ kind: "locale", botLabel });
export const intentOf = (botLabel: string): LabelDomain => ({ kind: "intent", botLabel });
export const actionOf = (botLabel: string): LabelDomain => ({ kind: "action", botLabel });
export const formOf = (botLabel: string): LabelDomain => ({ kind: "form", botLabel });
export const routeTemplate = (): LabelDomain => ({ kind: "route" });
export const methodOf = (routeLabel: string): LabelDomain => ({ kind: "method", routeLabel });
export const httpStatus = (): LabelDomain => ({ kind: "status" });

/**
 * The statuses the gateway answers with: success, the WebSocket upgrade, and every status of the
 * error table. Their series are written at 0 for every route from the start (exposition.ts), so
 * that the first error of a kind shows in `rate()`; any other status still counts, as it comes.
 */
export const EXPECTED_HTTP_STATUSES: readonly string[] = [
  ...new Set([101, 200, 201, 202, ...Object.values(ERRORS).map((error) => error.status)].map(String)),
];

/** What one bot's labels may say (from generated/metric-labels.json). */
export interface BotLabelValues {
  locales: readonly string[];
  intents: readonly string[];
  actions: readonly string[];
  forms: readonly string[];
}

/** Everything label values are checked against in one isolate. */
export interface LabelBounds {
  bots: ReadonlyMap<string, { [K in PerBotKind]: ReadonlySet<string> }>;
  /** The gateway's router: each route template and its methods; empty elsewhere (no route labels there). */
  routes: Map<string, Set<string>>;
}

export function labelBounds(bots: Record<string, BotLabelValues>, routes: Iterable<{ path: string; method: string }> = []): LabelBounds {
  return {
    bots: new Map(
      Object.entries(bots).map(([id, values]) => [
        id,
        {
          locale: new Set([...values.locales, UNKNOWN_LOCALE]),
          intent: new Set([...values.intents, OUT_OF_SCOPE]),
          action: new Set(values.actions),
          form: new Set(values.forms),
        },
      ]),
    ),
    routes: routeMethods(routes),
  };
}

/** Route templates and their methods, from a router's routes (middleware, method ALL, is not a route). */
export function routeMethods(routes: Iterable<{ path: string; method: string }>, into = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const { path, method } of routes) {
    if (method === "ALL") continue;
    const methods = into.get(path) ?? new Set<string>();
    methods.add(method.toUpperCase());
    into.set(path, methods);
  }
  return into;
}

const STATUS = /^[1-5][0-9]{2}$/;

/** `value` if it is in the label's set, else `other`. `labels` are the series' other raw values. */
export function foldLabel(domain: LabelDomain, value: string, labels: Readonly<Record<string, string>>, bounds: LabelBounds): string {
  return isAllowed(domain, value, labels, bounds) ? value : OTHER;
}

function isAllowed(domain: LabelDomain, value: string, labels: Readonly<Record<string, string>>, bounds: LabelBounds): boolean {
  switch (domain.kind) {
    case "oneOf":
      return domain.values.includes(value);
    case "bot":
      return bounds.bots.has(value);
    case "route":
      return bounds.routes.has(value);
    case "method":
      return bounds.routes.get(labels[domain.routeLabel] ?? "")?.has(value) ?? false;
    case "status":
      return STATUS.test(value);
    case "locale":
    case "intent":
    case "action":
    case "form":
      return bounds.bots.get(labels[domain.botLabel] ?? "")?.[domain.kind].has(value) ?? false;
  }
}

/**
 * Every value the label can take for the series (for a status code, the expected ones), or
 * undefined when the set is not listed.
 */
export function enumerateLabel(domain: LabelDomain, labels: Readonly<Record<string, string>>, bounds: LabelBounds): readonly string[] | undefined {
  switch (domain.kind) {
    case "oneOf":
      return domain.values;
    case "bot":
      return [...bounds.bots.keys()];
    case "route":
      return [...bounds.routes.keys()];
    case "method":
      return [...(bounds.routes.get(labels[domain.routeLabel] ?? "") ?? [])];
    case "status":
      return EXPECTED_HTTP_STATUSES;
    case "locale":
    case "intent":
    case "action":
    case "form":
      return [...(bounds.bots.get(labels[domain.botLabel] ?? "")?.[domain.kind] ?? [])];
  }
}
