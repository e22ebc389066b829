import type { DialogueQueueMessage, IntentQueueMessage } from "../../../shared/schemas/index.ts";
import { injectedDuplicate, injectedFault } from "../../../shared/fault-injection.ts";
import { sendToShard } from "../../../shared/queue-shards.ts";
import { log } from "../../../shared/turn-log.ts";
import { getModel } from "./models.ts";
import { parse } from "./nlu/index.ts";

/** NLU for one queued turn; the understood turn goes on to the dialogue Worker. */
export async function understandTurn(turn: IntentQueueMessage, deliveryAttempt: number, env: IntentEnv): Promise<void> {
  const fault = injectedFault(env.FAULT_INJECTION, "intent", turn.text, deliveryAttempt);
  if (fault) throw fault;
  const model = getModel(turn.botId);
  if (!model) throw new Error(`no NLU model for bot "${turn.botId}"`);
  const started = Date.now();
  const nlu = parse(model, turn.text, {
    locale: turn.locale ?? undefined,
    timezone: turn.timezone,
    now: turn.sentAt,
  });
  log("turn_understood", turn, { intent: nlu.intent.name, confidence: nlu.intent.confidence, locale: nlu.locale, ms: Date.now() - started });
  const understood: DialogueQueueMessage = { ...turn, kind: "understood-turn", nlu };
  await sendToShard(env, "dialogue", turn.conversationId, understood);
  if (injectedDuplicate(env.FAULT_INJECTION, "dialogue", turn.text)) await sendToShard(env, "dialogue", turn.conversationId, understood);
}
