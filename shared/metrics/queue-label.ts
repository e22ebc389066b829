/**
 * The `queue` label of a queue's metrics: the pipeline stage it feeds, not its name, so that the
 * label stays bounded however the queues are named or sharded (`stratus-intent`, its dead-letter
 * queue `stratus-intent-dlq`, a shard `stratus-intent-3` are all `intent`).
 */
import type { QUEUES } from "./catalogue.ts";

export function queueLabel(queueName: string): (typeof QUEUES)[number] | "other" {
  if (queueName.startsWith("stratus-intent")) return "intent";
  if (queueName.startsWith("stratus-dialogue")) return "dialogue";
  return "other";
}
