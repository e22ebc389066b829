import { app } from "./app.ts";
import { handleDeadLetters } from "./dead-letters.ts";

export { ConversationDurableObject } from "../../../durable-objects/conversation/ConversationDurableObject.ts";
export { ConversationDirectoryDurableObject } from "../../../durable-objects/directory/ConversationDirectoryDurableObject.ts";

export default {
  fetch: app.fetch,
  queue: handleDeadLetters,
} satisfies ExportedHandler<GatewayEnv, unknown>;
