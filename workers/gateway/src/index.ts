import { app } from "./app";
import { handleDeadLetters } from "./dead-letters";

export { ConversationDurableObject } from "../../../durable-objects/conversation/ConversationDurableObject";

export default {
  fetch: app.fetch,
  queue: handleDeadLetters,
} satisfies ExportedHandler<GatewayEnv, unknown>;
