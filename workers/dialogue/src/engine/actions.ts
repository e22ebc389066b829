import type { Action, ActionOutcome } from "../../../../shared/schemas/bot.ts";
import { scalarEquals } from "./conditions.ts";
import { requestJson, type HttpOutcome } from "./http.ts";
import { readJsonPath } from "./jsonpath.ts";
import { say } from "./responses.ts";
import { coerceSlotValue, setSlot } from "./slots.ts";
import { renderTemplate, soleVariable } from "./templates.ts";
import type { TurnContext } from "./types.ts";

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Calls the action's backend, saves answer fields into slots and says the chosen response.
 * Never throws: a timeout, network error, bad JSON or unexpected status says `onError`.
 */
export async function runAction(ctx: TurnContext, name: string): Promise<void> {
  const action = ctx.bot.definition.actions[name];
  if (!action) return;
  let outcome: HttpOutcome;
  try {
    // buildRequest throws when the request cannot be sent (an env var the URL needs is not set).
    outcome = await requestJson(ctx.deps.fetch, buildRequest(ctx, action));
  } catch {
    say(ctx, action.onError);
    return;
  }
  if (outcome.kind === "failed" || outcome.badJson) {
    say(ctx, action.onError);
    return;
  }
  const { status, json } = outcome;
  if (status >= 200 && status < 300) saveFields(ctx, action.save, json);
  const chosen = action.responses.find((candidate) => outcomeMatches(candidate.when, status, json));
  if (!chosen) {
    say(ctx, action.onError);
    return;
  }
  saveFields(ctx, chosen.save ?? {}, json);
  for (const slot of chosen.clearSlots ?? []) delete ctx.state.slots[slot];
  say(ctx, chosen.response);
}

function buildRequest(ctx: TurnContext, action: Action) {
  const url = renderTemplate(action.url, (name) => variable(ctx, name, { encode: true, required: true }));
  const headers: Record<string, string> = {};
  for (const [header, template] of Object.entries(action.headers)) {
    const value = renderTemplate(template, (name) => variable(ctx, name, { encode: false, required: false })).trim();
    // "Bearer " with an unset token is no header at all, not a malformed one.
    if (value !== "" && !/^(bearer|basic)$/i.test(value)) headers[header] = value;
  }
  let body: string | undefined;
  if (action.body !== undefined) {
    body = JSON.stringify(renderJson(ctx, action.body));
    headers["content-type"] ??= "application/json";
  }
  headers["accept"] ??= "application/json";
  return { url, method: action.method, headers, body, timeoutMs: action.timeoutMs, retries: action.retries };
}

function variable(ctx: TurnContext, name: string, options: { encode: boolean; required: boolean }): string {
  if (name.startsWith("env.")) {
    const value = ctx.env.get(name.slice("env.".length));
    if (value === undefined) {
      if (options.required) throw new Error(`${name} is not set`);
      return "";
    }
    return value;
  }
  const value = rawSlotText(ctx, name);
  return options.encode ? encodeURIComponent(value) : value;
}

function rawSlotText(ctx: TurnContext, name: string): string {
  const value = ctx.state.slots[name];
  if (value === undefined || value === null) return "";
  return typeof value === "object" ? String(value.amount) : String(value);
}

/** Renders string leaves as templates; a leaf that is exactly `{slot}` keeps the slot's JSON type. */
function renderJson(ctx: TurnContext, template: JsonValue): JsonValue {
  if (typeof template === "string") {
    const sole = soleVariable(template);
    if (sole !== undefined && !sole.startsWith("env.")) return (ctx.state.slots[sole] ?? null);
    return renderTemplate(template, (name) => variable(ctx, name, { encode: false, required: false }));
  }
  if (Array.isArray(template)) return template.map((item) => renderJson(ctx, item));
  if (typeof template === "object" && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, renderJson(ctx, value)]));
  }
  return template;
}

function saveFields(ctx: TurnContext, save: Record<string, string>, json: unknown): void {
  for (const [slotName, path] of Object.entries(save)) {
    const slot = ctx.bot.definition.slots[slotName];
    if (!slot) continue;
    const value = coerceSlotValue(slot, readJsonPath(json, path) ?? null);
    if (value !== undefined) setSlot(ctx, slotName, value);
  }
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
