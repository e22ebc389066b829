import type { DialogueQueueMessage, IntentQueueMessage } from "../../../shared/schemas/index.ts";
import { injectDeliveryFault, sendsTwice } from "../../../shared/fault-injection.ts";
import { metricsFor } from "../../../shared/metrics/isolate.ts";
import { sendToShard } from "../../../shared/queue-shards.ts";
import { continueTrace, formatTraceparent } from "../../../shared/trace-context.ts";
import { log } from "../../../shared/turn-log.ts";
import { intentConfig } from "./config.ts";
import { modelFor } from "./models.ts";
import { parse } from "./nlu/index.ts";

/** NLU for one queued turn; the understood turn goes on to the dialogue Worker. */
export async function understandTurn(turn: IntentQueueMessage, deliveryAttempt: number, env: IntentEnv): Promise<void> {
  const faults = { devBuild: STRATUS_DEV_FAULTS, settings: intentConfig(env).faults };
  // Development builds only: deploy bundles define STRATUS_DEV_FAULTS false (shared/dev-build.d.ts),
  // so esbuild drops these branches and, with nothing left calling it, the fault code.
  if (STRATUS_DEV_FAULTS) await injectDeliveryFault(faults, { stage: "intent", turn, deliveryAttempt }, metricsFor(env));
  // The version the conversation is pinned to (docs/bot-versions.md): the built-in 1, or a published one.
  const model = await modelFor(env, turn.botId, turn.botVersion);
  if (!model) throw new Error(`no NLU model for bot "${turn.botId}"`);
  const started = Date.now();
  const trace = continueTrace(turn.traceparent);
  const nlu = parse(model, turn.text, {
    locale: turn.locale ?? undefined,
    timezone: turn.timezone,
    now: turn.sentAt,
  });
  log("turn_understood", turn, { intent: nlu.intent.name, confidence: nlu.intent.confidence, locale: nlu.locale, ms: Date.now() - started });
  // The turn goes on in a span of this stage, with this stage's start and end (shared/metrics/stage-timings.ts).
  const understood: DialogueQueueMessage = {
    ...turn,
    kind: "understood-turn",
    nlu,
    traceparent: formatTraceparent(trace),
    timings: { ...turn.timings, intentStartedAt: started, intentEndedAt: Date.now() },
  };
  await sendToShard(env, "dialogue", turn.conversationId, understood);
  if (STRATUS_DEV_FAULTS && sendsTwice(faults, "dialogue", turn.text, metricsFor(env))) await sendToShard(env, "dialogue", turn.conversationId, understood);
}
