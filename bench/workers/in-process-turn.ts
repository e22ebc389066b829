// The "in-process" arm of `npm run bench:load`: one turn's NLU and dialogue run where the turn is
// dispatched — inside the conversation object's request — instead of behind two queue hops. This is
// what workers/intent/src/understand-turn.ts and workers/dialogue/src/decide-turn.ts do for a turn,
// with the same model (generated/models.json), the same bot (generated/bots.json), the same engine,
// logs, LLM budgets and stage timestamps, less what only a queue hop needs: serialising and
// validating the queue messages, the consumers' batching and acknowledgements, fault injection, and
// the RPC back to the object (the caller applies the result itself). Nothing here runs in production.
import { isPlatformEnvName } from "../../shared/env.ts";
import { metricsFor } from "../../shared/metrics/isolate.ts";
import { limiterLabel, takeRateLimit, type RateLimiterName } from "../../shared/rate-limits.ts";
import type { DialogueResult, IntentQueueMessage } from "../../shared/schemas/index.ts";
import { childSpan, continueTrace, formatTraceparent, type TraceContext } from "../../shared/trace-context.ts";
import { log } from "../../shared/turn-log.ts";
import { getBot } from "../../workers/dialogue/src/bots.ts";
import { dialogueConfig } from "../../workers/dialogue/src/config.ts";
import { summarizeDecision } from "../../workers/dialogue/src/engine/decision-summary.ts";
import { decideTurn } from "../../workers/dialogue/src/engine/index.ts";
import { getModel } from "../../workers/intent/src/models.ts";
import { parse } from "../../workers/intent/src/nlu/index.ts";

/** The gateway's bindings plus what the dialogue stage needs: its LLM budgets (and, as vars, the bots' backends). */
export type InProcessEnv = GatewayEnv & Pick<DialogueEnv, "LLM_LIMITER" | "LLM_ADDRESS_LIMITER">;

/** NLU then dialogue for one dispatched turn: the result the dialogue Worker would hand the conversation. */
export async function answerTurnInProcess(turn: IntentQueueMessage, env: InProcessEnv): Promise<DialogueResult> {
  const model = getModel(turn.botId);
  if (!model) throw new Error(`no NLU model for bot "${turn.botId}"`);
  const intentStartedAt = Date.now();
  const trace = continueTrace(turn.traceparent);
  const nlu = parse(model, turn.text, { locale: turn.locale ?? undefined, timezone: turn.timezone, now: turn.sentAt });
  log("turn_understood", turn, { intent: nlu.intent.name, confidence: nlu.intent.confidence, locale: nlu.locale, ms: Date.now() - intentStartedAt });
  const intentEndedAt = Date.now();

  const bot = getBot(turn.botId);
  if (!bot) throw new Error(`no bot definition for "${turn.botId}"`);
  const config = dialogueConfig(env);
  const dialogueStartedAt = Date.now();
  const decision = await decideTurn(
    bot,
    { conversationId: turn.conversationId, seq: turn.seq, text: turn.text, nlu, state: turn.state, timezone: turn.timezone },
    { fetch: tracedFetch(trace), env: botVars(env), llm: config.llm, llmBudget: () => takeLlmBudget(env, turn) },
  );
  log("turn_decided", turn, { responses: decision.replies.map((r) => r.response), handoff: decision.handoff, ms: Date.now() - dialogueStartedAt });
  return {
    replies: decision.replies,
    state: decision.state,
    handoff: decision.handoff,
    v: 1,
    conversationId: turn.conversationId,
    seq: turn.seq,
    attempt: turn.attempt,
    traceId: turn.traceId,
    nlu,
    decision: summarizeDecision(decision.effects),
    timings: { ...turn.timings, intentStartedAt, intentEndedAt, dialogueStartedAt, dialogueEndedAt: Date.now() },
  };
}

/** The LLM fallback's budgets, per conversation and per client address, as the dialogue Worker takes them. */
async function takeLlmBudget(env: InProcessEnv, turn: IntentQueueMessage): Promise<boolean> {
  const budgets: [RateLimiterName, RateLimit, string | undefined][] = [
    ["LLM_LIMITER", env.LLM_LIMITER, turn.conversationId],
    ["LLM_ADDRESS_LIMITER", env.LLM_ADDRESS_LIMITER, turn.client],
  ];
  for (const [name, limiter, key] of budgets) {
    if (key === undefined) continue;
    const taken = await takeRateLimit(limiter, name, key);
    if (!taken.ok) {
      metricsFor(env).count("stratus_rate_limited_total", { channel: "pipeline", limiter: limiterLabel(name) });
      log("llm_budget_spent", turn, { limiter: limiterLabel(name) });
      return false;
    }
  }
  return true;
}

/** fetch for the bot's backend calls, each a new span of the turn's trace. */
function tracedFetch(trace: TraceContext): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has("traceparent")) headers.set("traceparent", formatTraceparent(childSpan(trace)));
    return fetch(input, { ...init, headers });
  };
}

/** The string vars bots may declare (`env:` in bot.yaml): every one but the platform's own settings. */
function botVars(env: InProcessEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string" && !isPlatformEnvName(name)) vars[name] = value;
  return vars;
}
