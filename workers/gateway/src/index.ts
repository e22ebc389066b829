import { countAnalyticsReports, ANALYTICS_QUEUE_NAME } from "./analytics-reports.ts";
import { app } from "./app.ts";
import { handleDeadLetters } from "./dead-letters.ts";

export { ConversationDurableObject } from "../../../durable-objects/conversation/ConversationDurableObject.ts";
export { BotAnalyticsDurableObject } from "../../../durable-objects/analytics/BotAnalyticsDurableObject.ts";

export default {
  fetch: app.fetch,
  // The analytics reports, and the dead-letter queues (one per queue shard and stage).
  queue: (batch, env, ctx) => (batch.queue === ANALYTICS_QUEUE_NAME ? countAnalyticsReports(batch, env) : handleDeadLetters(batch, env, ctx)),
} satisfies ExportedHandler<GatewayEnv, unknown>;
