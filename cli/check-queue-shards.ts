// Part of `npm run check`: the Workers' configs agree on each stage's queue shards — a producer
// binding for every shard a consumer reads, a consumer (and a dead-letter consumer) for every shard a
// producer writes — both as committed and as the local stack runs them; and every jurisdiction a bot
// keeps its conversations in has queues of its own in every stage.
import { readFileSync } from "node:fs";
import { LOCAL_QUEUE_SHARDS, queueShardProblems, readCommittedConfigs, shardCountsOf, withQueueShards } from "../devkit/queue-shard-configs.ts";
import { QUEUE_STAGES } from "../shared/queue-shards.ts";
import { BotCatalogSchema } from "../shared/schemas/catalog.ts";

const catalog = BotCatalogSchema.parse(JSON.parse(readFileSync(new URL("../generated/catalog.json", import.meta.url), "utf8")));
const jurisdictions = [...new Set(catalog.bots.flatMap((bot) => (bot.jurisdiction ? [bot.jurisdiction] : [])))];
const committed = readCommittedConfigs();
const problems = [
  ...queueShardProblems(committed, undefined, jurisdictions),
  ...queueShardProblems(withQueueShards(committed, LOCAL_QUEUE_SHARDS), undefined, jurisdictions).map((problem) => `(local stack, 2 shards) ${problem}`),
];
if (problems.length > 0) {
  console.error(`queue shards: the Workers' configs disagree:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
const summary = QUEUE_STAGES.map(
  (stage) => `${stage} ${shardCountsOf(committed, stage).map(({ group, shards }) => (group ? `${group} ${shards}` : String(shards))).join(", ")}`,
);
console.log(`queue shards agree: ${summary.join("; ")} (local stack: 2 per group)`);
