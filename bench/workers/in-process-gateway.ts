// `npm run bench:load`'s "in-process" arm runs the gateway from this entry: the real gateway Worker
// and the real conversation Durable Object (same class, same transcript, same routes), except that
// a dispatched turn does not go to the intent queue: the object runs NLU and dialogue in the same
// request (in-process-turn.ts) and applies the result itself, as it applies the dialogue Worker's.
// The difference between this arm and the pipeline is what the two queue hops cost. Nothing here
// runs in production: deploys bundle workers/gateway/src/index.ts.
//
// The seam: the turn scheduler asks its host to send an IntentQueueMessage to the conversation's
// intent-queue shard (TurnSchedulerHost.sendToIntentQueue, which calls sendToShard on the object's
// env), and the object later receives `applyDialogueResult(result)`. The object builds its host in
// its constructor, so this subclass hands it an env whose intent-queue bindings answer the turn
// instead of queueing it. Should the object expose the dispatch as a method of its own, override
// that method with the body of `answerInProcess` below instead of wrapping the env.
import gateway, { ConversationDurableObject } from "../../workers/gateway/src/index.ts";
import type { IntentQueueMessage } from "../../shared/schemas/index.ts";
import { sendReportsWithRetries } from "../../shared/conversation-reports.ts";
import { metricsOff } from "../../shared/metrics/recorder.ts";
import { shardBindingPrefix } from "../../shared/queue-shards.ts";
import { answerTurnInProcess, type InProcessEnv } from "./in-process-turn.ts";

/** The env with every intent-queue shard binding (`INTENT_QUEUE_0`, `INTENT_QUEUE_EU_0` …) replaced by `answer`. */
function answeringIntentQueues(env: InProcessEnv, answer: (turn: IntentQueueMessage) => Promise<void>): InProcessEnv {
  const queues = Object.keys(env)
    .filter((name) => name.startsWith(`${shardBindingPrefix("intent")}_`))
    .map((name) => [name, { send: (turn: IntentQueueMessage) => answer(turn) }] as const);
  return Object.assign({}, env, Object.fromEntries(queues));
}

class InProcessConversationDurableObject extends ConversationDurableObject {
  constructor(ctx: DurableObjectState, env: InProcessEnv) {
    // The host calls back into this object, which exists only once the base constructor returned.
    const built: { object?: InProcessConversationDurableObject } = {};
    super(
      ctx,
      answeringIntentQueues(env, async (turn) => {
        if (!built.object) throw new Error("a turn was dispatched while the conversation object was being built");
        await built.object.answerInProcess(turn, env);
      }),
    );
    built.object = this;
  }

  /**
   * Answers a dispatched turn in this request. A throw here is a failed dispatch to the scheduler,
   * as a refused queue send is: the watchdog sends the turn again.
   */
  private async answerInProcess(turn: IntentQueueMessage, env: InProcessEnv): Promise<void> {
    const applied = await this.applyDialogueResult(await answerTurnInProcess(turn, env));
    // What the dialogue Worker would send with its batch (the turn's analytics, a directory entry): sent here, one message a turn.
    if (applied.reports) this.ctx.waitUntil(sendReportsWithRetries(env, turn.conversationId, applied.reports, metricsOff));
  }
}

export { InProcessConversationDurableObject as ConversationDurableObject };
// The platform's other objects: the gateway's config binds them, so its entry must export them.
export { BotAnalyticsDurableObject, ConversationDirectoryDurableObject, DeadLetterRegistry, UserProfileDurableObject } from "../../workers/gateway/src/index.ts";
export default gateway;
