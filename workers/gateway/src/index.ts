import { countAnalyticsReports, ANALYTICS_QUEUE_NAME } from "./analytics-reports.ts";
import { app } from "./app.ts";
import { handleDeadLetters } from "./dead-letters.ts";
import { TURN_FAILURES_QUEUE, handleTurnFailures } from "./turn-failures.ts";

export { ConversationDurableObject } from "../../../durable-objects/conversation/ConversationDurableObject.ts";
export { BotAnalyticsDurableObject } from "../../../durable-objects/analytics/BotAnalyticsDurableObject.ts";
export { DeadLetterRegistry } from "../../../durable-objects/dead-letters/DeadLetterRegistry.ts";
export { ConversationDirectoryDurableObject } from "../../../durable-objects/directory/ConversationDirectoryDurableObject.ts";
export { UserProfileDurableObject } from "../../../durable-objects/user-profile/UserProfileDurableObject.ts";

export default {
  fetch: app.fetch,
  // Analytics reports, turn-failure reports, and the dead-letter queues (one per queue shard and stage).
  queue: (batch, env, ctx) => {
    if (batch.queue === ANALYTICS_QUEUE_NAME) return countAnalyticsReports(batch, env);
    if (batch.queue === TURN_FAILURES_QUEUE) return handleTurnFailures(batch, env);
    return handleDeadLetters(batch, env, ctx);
  },
} satisfies ExportedHandler<GatewayEnv, unknown>;
