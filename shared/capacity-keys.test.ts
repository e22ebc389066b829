// The keys the capacity figures go by: every shard and jurisdiction of a queue under its family,
// every dead-letter queue under one family, the documented keys of the known classes, and a key
// derived for a class nobody listed.
import { describe, expect, it } from "vitest";
import { objectClassKey, parseQueueName, queueKey } from "./capacity-keys.ts";

describe("queue families", () => {
  it("files every shard and jurisdiction of a queue under its family", () => {
    expect(["stratus-intent", "stratus-intent-3", "stratus-intent-eu", "stratus-intent-eu-12"].map(queueKey)).toEqual(["intent", "intent", "intent", "intent"]);
    expect(queueKey("stratus-turn-failures-2")).toBe("turn_failures");
    expect(queueKey("stratus-analytics")).toBe("analytics");
    expect(parseQueueName("stratus-dialogue-fedramp-high-4")).toEqual({ key: "dialogue", base: "dialogue", jurisdiction: "fedramp-high", shard: 4 });
  });

  it("files every dead-letter queue under one family, remembering where its messages came from", () => {
    expect(parseQueueName("stratus-intent-eu-2-dlq")).toEqual({ key: "dead_letter_queues", base: "intent", jurisdiction: "eu", shard: 2 });
    expect(queueKey("stratus-dialogue-dlq")).toBe("dead_letter_queues");
  });
});

describe("object class keys", () => {
  it("uses the documented keys for the platform's classes", () => {
    expect(
      ["ConversationDurableObject", "ConversationDirectoryDurableObject", "BotAnalyticsDurableObject", "DeadLetterRegistry", "MetricsAggregatorDurableObject", "UserProfileDurableObject"].map(objectClassKey),
    ).toEqual(["conversation", "directory", "analytics", "dead_letters", "metrics", "user_profiles"]);
  });

  it("derives a key for a class added later", () => {
    expect(objectClassKey("SessionLockDurableObject")).toBe("session_lock");
    expect(objectClassKey("RateLedger")).toBe("rate_ledger");
  });
});
