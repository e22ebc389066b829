// Part of `npm run check`: the three Workers' configs agree on each stage's queue shards — a
// producer binding for every shard a consumer reads, a consumer (and a dead-letter consumer) for
// every shard a producer writes — both as committed and as the local stack runs them.
import { LOCAL_QUEUE_SHARDS, queueShardProblems, readCommittedConfigs, withQueueShards } from "../devkit/queue-shard-configs.ts";

const committed = readCommittedConfigs();
const problems = [
  ...queueShardProblems(committed),
  ...queueShardProblems(withQueueShards(committed, LOCAL_QUEUE_SHARDS)).map((problem) => `(local stack, 2 shards) ${problem}`),
];
if (problems.length > 0) {
  console.error(`queue shards: the Workers' configs disagree:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
const shardsOf = (stage: "intent" | "dialogue") =>
  ((committed[stage === "intent" ? "gateway" : "intent"].queues as { producers?: Array<{ binding: string }> }).producers ?? []).filter((p) =>
    p.binding.startsWith(`${stage.toUpperCase()}_QUEUE_`),
  ).length;
console.log(`queue shards agree: intent ${shardsOf("intent")}, dialogue ${shardsOf("dialogue")} (local stack: 2 each)`);
