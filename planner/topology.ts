// How each Durable Object class and each queue family spreads its load: what the planner divides a
// class's or a queue's measured traffic by to get the load on one object or one queue. One entry
// per class key (shared/capacity-keys.ts); a class the bench measures that has no entry here is
// planned as one single object, and the plan says so.
import { QUEUE_STAGES } from "../shared/queue-shards.ts";

/**
 * How many objects a class has.
 *   per_conversation: one per conversation; the busiest one carries one conversation's messages.
 *   per_user: one per signed-in user; planned like a conversation (a user's messages at a conversation's pace).
 *   sharded: a fixed number of shards (per bot when `perBot`), the traffic hashed over them.
 */
export type ObjectScaling = { kind: "per_conversation" } | { kind: "per_user" } | { kind: "sharded"; perBot: boolean };

/**
 * How a class's stored bytes behave.
 *   per_object: an object's own history (a conversation: its creation plus its messages).
 *   retained: grows with traffic and is kept for the retention period (a directory's entries).
 *   bounded: does not grow with traffic (rollups, totals): the largest object the bench saw.
 */
export type StorageModel = "per_object" | "retained" | "bounded";

export interface ObjectClassTopology {
  scaling: ObjectScaling;
  storage: StorageModel;
  /** What one object is, for the table. */
  what: string;
  /**
   * Where a deployment sets its shard count: a var (in any Worker's [vars], else its default in the
   * gateway's config schema), else a constant in the code (`export const NAME = 24` in that file),
   * else 1 (one object, as before the class was sharded).
   */
  shardVar?: string;
  shardConstant?: { file: string; name: string };
}

export const OBJECT_CLASSES: Record<string, ObjectClassTopology> = {
  conversation: { scaling: { kind: "per_conversation" }, storage: "per_object", what: "one per conversation" },
  user_profiles: { scaling: { kind: "per_user" }, storage: "per_object", what: "one per signed-in user" },
  directory: { scaling: { kind: "sharded", perBot: true }, storage: "retained", what: "per bot × shards", shardVar: "STRATUS_DIRECTORY_SHARDS" },
  analytics: { scaling: { kind: "sharded", perBot: true }, storage: "bounded", what: "per bot × shards", shardVar: "STRATUS_ANALYTICS_SHARDS" },
  dead_letters: { scaling: { kind: "sharded", perBot: false }, storage: "retained", what: "shards", shardVar: "STRATUS_DEAD_LETTER_SHARDS" },
  // One registry per bot (named by the bot id): its storage is its published versions, which grow
  // with what operators publish, not with traffic; a gateway isolate reads its release once per 10 s.
  bot_registry: { scaling: { kind: "sharded", perBot: true }, storage: "bounded", what: "one per bot (its published versions)" },
  metrics: {
    scaling: { kind: "sharded", perBot: false },
    storage: "bounded",
    what: "shards",
    shardVar: "STRATUS_METRICS_SHARDS",
    shardConstant: { file: "shared/metrics/shards.ts", name: "METRICS_SHARDS" },
  },
};

/** A class measured but not described above: one object takes all of it (the worst case), and the plan says so. */
export const UNKNOWN_CLASS: ObjectClassTopology = { scaling: { kind: "sharded", perBot: false }, storage: "retained", what: "not in planner/topology.ts: taken as one object" };

export const objectClassTopology = (key: string): ObjectClassTopology => OBJECT_CLASSES[key] ?? UNKNOWN_CLASS;

/** The queue families on a turn's path, whose consumers' batching the planner chooses (the others keep their committed settings). */
export const TURN_STAGE_FAMILIES: readonly string[] = QUEUE_STAGES;
