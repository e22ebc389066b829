import { DialogueQueueMessageSchema } from "../../../shared/schemas";
import { consumeEach } from "../../../shared/queue-consumer";
import { decideTurn } from "./decide-turn";

export default {
  async queue(batch, env) {
    await consumeEach(batch, DialogueQueueMessageSchema, (turn, message) => decideTurn(turn, message.attempts, env));
  },
} satisfies ExportedHandler<DialogueEnv, unknown>;
