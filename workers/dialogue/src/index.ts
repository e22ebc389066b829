import { DialogueQueueMessageSchema } from "../../../shared/schemas/index.ts";
import { consumeEach } from "../../../shared/queue-consumer.ts";
import { decideTurn } from "./decide-turn.ts";

export default {
  async queue(batch, env) {
    await consumeEach(batch, DialogueQueueMessageSchema, (turn, message) => decideTurn(turn, message.attempts, env), {
      stage: "dialogue",
      reportFailure: (failure) => env.TURN_FAILURES.send(failure),
    });
  },
} satisfies ExportedHandler<DialogueEnv, unknown>;
