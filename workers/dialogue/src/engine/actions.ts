import type { Action, ActionOutcome } from "../../../../shared/schemas/bot.ts";
import { scalarEquals } from "./conditions.ts";
import { say, type ActionCallOutcome, type Effect } from "./effects.ts";
import { requestJson, type HttpOutcome } from "./http.ts";
import { readJsonPath } from "./jsonpath.ts";
import { coerceSlotValue } from "./slots.ts";
import { renderTemplate, renderUrlTemplate, soleVariable } from "./templates.ts";
import type { TurnView } from "./types.ts";

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Calls the action's backend and returns what came of it: the call's outcome and duration, the
 * answer fields saved into slots, and the chosen response. Never throws: a timeout, network error,
 * bad JSON or unexpected status says `onError`.
 */
export async function callAction(view: TurnView, name: string): Promise<Effect[]> {
  const action = view.bot.definition.actions[name];
  if (!action) return [];
  const started = Date.now();
  const called = (outcome: ActionCallOutcome, status?: number): Effect => ({
    type: "actionCalled",
    action: name,
    outcome,
    ...(status === undefined ? {} : { status }),
    durationMs: Date.now() - started,
  });
  let request: ReturnType<typeof buildRequest>;
  try {
    // buildRequest throws when the request cannot be sent: an env var the URL needs is not set, or a
    // slot value would make a path segment "." or ".." (renderUrlTemplate).
    request = buildRequest(view, action);
  } catch {
    return [called("notSent"), say(action.onError)];
  }
  const outcome: HttpOutcome = await requestJson(view.io.actionFetch, request);
  if (outcome.kind === "failed") return [called("failed"), say(action.onError)];
  const { status, json } = outcome;
  if (outcome.badJson) return [called("badJson", status), say(action.onError)];
  const saved = status >= 200 && status < 300 ? saveFields(view, action.save, json) : [];
  const chosen = action.responses.find((candidate) => outcomeMatches(candidate.when, status, json));
  if (!chosen) return [called("unmatched", status), ...saved, say(action.onError)];
  return [
    called("matched", status),
    ...saved,
    ...saveFields(view, chosen.save ?? {}, json),
    ...(chosen.clearSlots ? [{ type: "clearSlots", slots: chosen.clearSlots } as const] : []),
    say(chosen.response),
    ...(chosen.form ? [{ type: "startForm", form: chosen.form } as const] : []),
  ];
}

function buildRequest(view: TurnView, action: Action) {
  const url = renderUrlTemplate(action.url, (name) => ({ text: variable(view, name, { encode: true, required: true }), fromSlot: !name.startsWith("env.") }));
  const headers: Record<string, string> = {};
  for (const [header, template] of Object.entries(action.headers)) {
    const value = renderTemplate(template, (name) => variable(view, name, { encode: false, required: false })).trim();
    // "Bearer " with an unset token is no header at all, not a malformed one.
    if (value !== "" && !/^(bearer|basic)$/i.test(value)) headers[header] = value;
  }
  let body: string | undefined;
  if (action.body !== undefined) {
    body = JSON.stringify(renderJson(view, action.body));
    headers["content-type"] ??= "application/json";
  }
  headers["accept"] ??= "application/json";
  return { url, method: action.method, headers, body, timeoutMs: action.timeoutMs, retries: action.retries };
}

function variable(view: TurnView, name: string, options: { encode: boolean; required: boolean }): string {
  if (name.startsWith("env.")) {
    const value = view.env.get(name.slice("env.".length));
    if (value === undefined) {
      if (options.required) throw new Error(`${name} is not set`);
      return "";
    }
    return value;
  }
  // `{locale}`: the reply's language (a slot of that name comes first).
  if (name === "locale" && !Object.hasOwn(view.bot.definition.slots, "locale")) return view.locale;
  const value = rawSlotText(view, name);
  return options.encode ? encodeURIComponent(value) : value;
}

function rawSlotText(view: TurnView, name: string): string {
  const value = view.state.slots[name];
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? String(value.amount) : String(value);
}

/** Renders string leaves as templates; a leaf that is exactly `{slot}` keeps the slot's JSON type. */
function renderJson(view: TurnView, template: JsonValue): JsonValue {
  if (typeof template === "string") {
    const sole = soleVariable(template);
    // `{locale}` alone is the reply's language, as in any template (unless a slot has that name).
    if (sole === "locale" && !Object.hasOwn(view.bot.definition.slots, "locale")) return view.locale;
    if (sole !== undefined && !sole.startsWith("env.")) return (view.state.slots[sole] ?? null);
    return renderTemplate(template, (name) => variable(view, name, { encode: false, required: false }));
  }
  if (Array.isArray(template)) return template.map((item) => renderJson(view, item));
  if (typeof template === "object" && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, renderJson(view, value)]));
  }
  return template;
}

function saveFields(view: TurnView, save: Record<string, string>, json: unknown): Effect[] {
  const effects: Effect[] = [];
  for (const [slotName, path] of Object.entries(save)) {
    const slot = view.bot.definition.slots[slotName];
    if (!slot) continue;
    const value = coerceSlotValue(slot, readJsonPath(json, path) ?? null);
    if (value !== undefined) effects.push({ type: "setSlot", slot: slotName, value });
  }
  return effects;
}

function outcomeMatches(when: ActionOutcome | undefined, status: number, json: unknown): boolean {
  const statusOk =
    when?.status === undefined
      ? status >= 200 && status < 300
      : Array.isArray(when.status)
        ? when.status.includes(status)
        : when.status === status;
  if (!statusOk) return false;
  if (when?.path === undefined) return true;
  const value = readJsonPath(json, when.path);
  if (when.exists !== undefined && (value !== undefined && value !== null) !== when.exists) return false;
  if (when.equals !== undefined && !scalarEquals(value, when.equals)) return false;
  if (when.in !== undefined && !when.in.some((candidate) => scalarEquals(value, candidate))) return false;
  return true;
}
