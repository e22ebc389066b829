import type { ConversationReports, DialogueQueueMessage, DialogueResult } from "../../../shared/schemas/index.ts";
import { conversationObject } from "../../../shared/conversation-object.ts";
import { isPlatformEnvName } from "../../../shared/env.ts";
import { injectDeliveryFault } from "../../../shared/fault-injection.ts";
import { metricsFor } from "../../../shared/metrics/isolate.ts";
import { childSpan, continueTrace, formatTraceparent, type TraceContext } from "../../../shared/trace-context.ts";
import { limiterLabel, takeRateLimit, type RateLimiterName } from "../../../shared/rate-limits.ts";
import { log } from "../../../shared/turn-log.ts";
import { botFor } from "./bots.ts";
import { dialogueConfig } from "./config.ts";
import { summarizeDecision } from "./engine/decision-summary.ts";
import { assertingFetch } from "./action-assertions.ts";
import { turnProfileContext } from "./profile/profile-context.ts";
import { decideProfileTurn } from "./profile/profile-turn.ts";
import { redactForKeeping } from "./turn-redaction.ts";
import { ReplyStreamForwarder } from "./reply-stream-forwarder.ts";

/**
 * Decides the bot's replies for one understood turn and hands them to the conversation; returns
 * what the conversation reported of the turn (analytics, a directory entry) for the batch to send.
 */
export async function decideTurn(turn: DialogueQueueMessage, deliveryAttempt: number, env: DialogueEnv): Promise<ConversationReports | undefined> {
  const config = dialogueConfig(env);
  // Development builds only: deploy bundles define STRATUS_DEV_FAULTS false (shared/dev-build.d.ts),
  // so esbuild drops this branch and, with nothing left calling it, the fault code.
  if (STRATUS_DEV_FAULTS) {
    const faults = { devBuild: STRATUS_DEV_FAULTS, settings: config.faults };
    await injectDeliveryFault(faults, { stage: "dialogue", turn, deliveryAttempt }, metricsFor(env));
  }
  // The version the conversation is pinned to (docs/bot-versions.md): the built-in 1, or a published one.
  const bot = await botFor(env, turn.botId, turn.botVersion);
  if (!bot) throw new Error(`no bot definition for "${turn.botId}"`);
  const started = Date.now();
  const trace = continueTrace(turn.traceparent);
  const fetchSpan = tracedFetch(trace);
  const conversation = conversationObject(env.CONVERSATIONS, turn.conversationId);
  // An LLM answer streams to the conversation's clients as it is written (docs/streaming.md).
  const streams = new ReplyStreamForwarder(conversation, turn);
  // The engine decides the turn; around it, the signed-in user's remembered answers and consent (profile/).
  const { decision, facts: profile } = await decideProfileTurn(
    bot,
    {
      conversationId: turn.conversationId,
      seq: turn.seq,
      text: turn.text,
      nlu: turn.nlu,
      state: turn.state,
      timezone: turn.timezone,
    },
    {
      fetch: fetchSpan,
      actionFetch: await assertingFetch(env, fetchSpan, turn),
      env: botVars(env),
      llm: config.llm,
      llmBudget: () => takeLlmBudget(env, turn),
      streamReply: () => streams.open(),
    },
    turnProfileContext(env, bot, turn),
  );
  await streams.settle();
  // A form the bot tried to start twice in one turn points at a loop in its definition.
  const formsRefused = decision.effects.flatMap((effect) => (effect.type === "formRefused" ? [effect.form] : []));
  log("turn_decided", turn, {
    responses: decision.replies.map((r) => r.response),
    handoff: decision.handoff,
    ms: Date.now() - started,
    ...(formsRefused.length > 0 ? { formsRefused } : {}),
    // Counts and purposes only: never a remembered value.
    ...(profile.written > 0 || profile.consent || profile.forgotten ? { profile } : {}),
    ...(streams.requests > 0 ? { streamRequests: streams.requests } : {}),
  });
  // What the conversation keeps of the turn has the bot's sensitive values masked (turn-redaction.ts).
  const kept = redactForKeeping(bot, turn.text, turn.nlu, decision);
  // The decision goes on with a summary of its effects (fallback, forms, actions): the
  // conversation counts them once it applies the result, so a duplicated delivery counts once.
  const result: DialogueResult = {
    replies: kept.replies,
    state: kept.state,
    handoff: decision.handoff,
    v: 1,
    conversationId: turn.conversationId,
    seq: turn.seq,
    attempt: turn.attempt,
    traceId: turn.traceId,
    nlu: kept.nlu,
    ...(kept.maskedText === undefined ? {} : { maskedText: kept.maskedText }),
    ...(kept.ownValues.length === 0 ? {} : { ownValues: kept.ownValues }),
    decision: summarizeDecision(decision.effects),
    timings: { ...turn.timings, dialogueStartedAt: started, dialogueEndedAt: Date.now() },
  };
  const applied = await conversation.applyDialogueResult(result);
  return applied.reports;
}

/**
 * One LLM fallback call from the turn's budgets: per conversation (LLM_LIMITER) and per client
 * address (LLM_ADDRESS_LIMITER, keyed by the writer's hashed address the turn carries). A refusal is
 * counted; the bot then answers with its own fallback.
 */
async function takeLlmBudget(env: DialogueEnv, turn: DialogueQueueMessage): Promise<boolean> {
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

/** fetch for the bot's backend calls, each sent as a new span of the turn's trace (W3C `traceparent`). */
function tracedFetch(trace: TraceContext): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has("traceparent")) headers.set("traceparent", formatTraceparent(childSpan(trace)));
    return fetch(input, { ...init, headers });
  };
}

/**
 * The Worker's string vars and secrets that bots may declare (`env:` in bot.yaml): every one but the
 * platform's own settings, which reach the engine only as typed config. Each bot then sees only the
 * names it declares.
 */
function botVars(env: DialogueEnv): Readonly<Record<string, string>> {
  // Once per env object (an isolate's): it is read on every turn and does not change under it.
  let vars = botVarsOfEnv.get(env);
  if (vars === undefined) {
    const own: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (typeof value === "string" && !isPlatformEnvName(name)) own[name] = value;
    vars = own;
    botVarsOfEnv.set(env, vars);
  }
  return vars;
}

const botVarsOfEnv = new WeakMap<DialogueEnv, Readonly<Record<string, string>>>();
