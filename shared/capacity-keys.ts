/**
 * The names the capacity figures go by (bench/results/turn-cost.json, the planner's table): one key
 * per Durable Object class and one per queue family, whatever the number of objects, shards or
 * jurisdictions behind it. `npm run bench:turn-cost` meters every class a Worker hosts and every
 * queue it sees, and files each under the key these functions give, so a class or a queue added
 * (or sharded) later is metered without a change to the bench. Plain TypeScript: the bench, the
 * planner and the checks all read it.
 */
import { JURISDICTIONS } from "./schemas/residency.ts";

/** Classes whose key is not simply derived from their name (the keys the docs and the planner use). */
const OBJECT_CLASS_KEYS: Record<string, string> = {
  ConversationDurableObject: "conversation",
  ConversationDirectoryDurableObject: "directory",
  BotAnalyticsDurableObject: "analytics",
  DeadLetterRegistry: "dead_letters",
  MetricsAggregatorDurableObject: "metrics",
  UserProfileDurableObject: "user_profiles",
};

const snakeCase = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .toLowerCase();

/** `ConversationDurableObject` → `conversation`; a class not listed: its name without "DurableObject", in snake_case. */
export function objectClassKey(className: string): string {
  return OBJECT_CLASS_KEYS[className] ?? snakeCase(className.replace(/DurableObject$/, ""));
}

/** Every queue's dead-letter queue, whatever its source, is one family. */
export const DEAD_LETTER_QUEUES_KEY = "dead_letter_queues";

export const isDeadLetterQueue = (queue: string) => queue.endsWith("-dlq");

/**
 * A queue's jurisdiction (`stratus-intent-eu-2` → "eu") and shard number (2; shard 0 has no
 * suffix), and its family's key (`intent`); a dead-letter queue belongs to `dead_letter_queues`.
 */
export function parseQueueName(queue: string): { key: string; base: string; jurisdiction: string | undefined; shard: number } {
  const source = isDeadLetterQueue(queue) ? queue.slice(0, -"-dlq".length) : queue;
  let rest = source.replace(/^stratus-/, "");
  let shard = 0;
  const shardMatch = /-(\d+)$/.exec(rest);
  if (shardMatch) {
    shard = Number(shardMatch[1]);
    rest = rest.slice(0, shardMatch.index);
  }
  let jurisdiction: string | undefined;
  for (const candidate of JURISDICTIONS) {
    if (rest.endsWith(`-${candidate}`)) {
      jurisdiction = candidate;
      rest = rest.slice(0, -(candidate.length + 1));
      break;
    }
  }
  const family = snakeCase(rest);
  return { key: isDeadLetterQueue(queue) ? DEAD_LETTER_QUEUES_KEY : family, base: family, jurisdiction, shard };
}

export const queueKey = (queue: string): string => parseQueueName(queue).key;
