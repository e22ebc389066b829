import { DialogueQueueMessageSchema } from "../../../shared/schemas/index.ts";
import { consumeEach } from "../../../shared/queue-consumer.ts";
import { decideTurn } from "./decide-turn.ts";

export default {
  async queue(batch, env) {
    await consumeEach(batch, DialogueQueueMessageSchema, (turn, message) => decideTurn(turn, message.attempts, env), {
      stage: "dialogue",
      reportFailure: (conversationId, report) => env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(conversationId)).recordTurnFailure(report),
    });
  },
} satisfies ExportedHandler<DialogueEnv, unknown>;
