import { IntentQueueMessageSchema } from "../../../shared/schemas";
import { consumeEach } from "../../../shared/queue-consumer";
import { understandTurn } from "./understand-turn";

export { NluService } from "./nlu-service";

export default {
  async queue(batch, env) {
    await consumeEach(batch, IntentQueueMessageSchema, (turn, message) => understandTurn(turn, message.attempts, env));
  },
} satisfies ExportedHandler<IntentEnv, unknown>;
