import { channelOutboundQueueOf } from "../../../shared/channel-outbound-queue.ts";
import { reportQueueOf } from "../../../shared/queue-shards.ts";
import { countAnalyticsReports } from "./analytics-reports.ts";
import { app } from "./app.ts";
import { handleChannelOutbound } from "./channels/outbound-consumer.ts";
import { handleDeadLetters } from "./dead-letters.ts";
import { handleTurnFailures } from "./turn-failures.ts";

export { ConversationDurableObject } from "../../../durable-objects/conversation/ConversationDurableObject.ts";
export { BotAnalyticsDurableObject } from "../../../durable-objects/analytics/BotAnalyticsDurableObject.ts";
export { DeadLetterRegistry } from "../../../durable-objects/dead-letters/DeadLetterRegistry.ts";
export { ConversationDirectoryDurableObject } from "../../../durable-objects/directory/ConversationDirectoryDurableObject.ts";
export { UserProfileDurableObject } from "../../../durable-objects/user-profile/UserProfileDurableObject.ts";

export default {
  fetch: app.fetch,
  // Analytics reports and directory entries, turn-failure reports (each a sharded report queue), the
  // messaging channels' outbound queues and their dead-letter queues, and the turns' dead-letter
  // queues (one per queue shard and stage).
  queue: (batch, env, ctx) => {
    const reports = reportQueueOf(batch.queue);
    if (reports?.queue === "analytics") return countAnalyticsReports(batch, env);
    if (reports?.queue === "turn-failures") return handleTurnFailures(batch, env);
    const outbound = channelOutboundQueueOf(batch.queue);
    if (outbound) return handleChannelOutbound(batch, env, outbound);
    return handleDeadLetters(batch, env, ctx);
  },
} satisfies ExportedHandler<GatewayEnv, unknown>;
