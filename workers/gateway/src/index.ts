import { app } from "./app.ts";
import { handleDeadLetters } from "./dead-letters.ts";
import { TURN_FAILURES_QUEUE, handleTurnFailures } from "./turn-failures.ts";

export { ConversationDurableObject } from "../../../durable-objects/conversation/ConversationDurableObject.ts";
export { DeadLetterRegistry } from "../../../durable-objects/dead-letters/DeadLetterRegistry.ts";

export default {
  // Every queue this Worker consumes but the failure reports is a dead-letter queue (one per stage, or per shard).
  fetch: app.fetch,
  queue: (batch, env) => (batch.queue === TURN_FAILURES_QUEUE ? handleTurnFailures(batch, env) : handleDeadLetters(batch, env)),
} satisfies ExportedHandler<GatewayEnv, unknown>;
