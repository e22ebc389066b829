// What `npx stratus deploy` plans from the committed configs and an account's state.
import { describe, expect, it } from "vitest";
import { GatewayConfigSchema } from "../shared/gateway-config.ts";
import { DialogueConfigSchema } from "../workers/dialogue/src/config.ts";
import { IntentConfigSchema } from "../workers/intent/src/config.ts";
import { DEPLOY_ORDER, deploymentQueues, deploymentWorkers, planDeployment } from "./deploy-plan.ts";
import { queueJurisdiction, readCommittedConfigs, withQueueShards } from "./queue-shard-configs.ts";

const configs = readCommittedConfigs();
const none = { queues: new Map(), secrets: new Map() };

describe("the deployment plan", () => {
  it("names each shard's queue and dead-letter queue, the jurisdictions' in their jurisdiction", () => {
    expect(queueJurisdiction("stratus-intent-eu")).toBe("eu");
    expect(queueJurisdiction("stratus-dialogue-eu-3-dlq")).toBe("eu");
    expect(queueJurisdiction("stratus-intent-fedramp-high")).toBe("fedramp-high");
    expect(queueJurisdiction("stratus-intent-2")).toBeUndefined();
    expect(queueJurisdiction("stratus-analytics")).toBeUndefined();
    expect(queueJurisdiction("stratus-channel-outbound-eu-dlq")).toBe("eu");
    expect(queueJurisdiction("stratus-channel-outbound-1")).toBeUndefined();
    const sharded = deploymentQueues(withQueueShards(configs, { intent: 3, dialogue: 2 }));
    expect(sharded.filter((queue) => queue.name.startsWith("stratus-intent"))).toEqual([
      { name: "stratus-intent" },
      { name: "stratus-intent-1" },
      { name: "stratus-intent-1-dlq" },
      { name: "stratus-intent-2" },
      { name: "stratus-intent-2-dlq" },
      { name: "stratus-intent-dlq" },
      { name: "stratus-intent-eu", jurisdiction: "eu" },
      { name: "stratus-intent-eu-1", jurisdiction: "eu" },
      { name: "stratus-intent-eu-1-dlq", jurisdiction: "eu" },
      { name: "stratus-intent-eu-2", jurisdiction: "eu" },
      { name: "stratus-intent-eu-2-dlq", jurisdiction: "eu" },
      { name: "stratus-intent-eu-dlq", jurisdiction: "eu" },
    ]);
    expect(sharded.map((queue) => queue.name)).toEqual(expect.arrayContaining(["stratus-analytics", "stratus-turn-failures", "stratus-dialogue-1-dlq"]));
  });

  it("creates what is missing, sets the secrets a config requires, deploys in binding order", () => {
    const plan = planDeployment(configs, {
      queues: new Map([["stratus-intent", {}], ["stratus-intent-eu", { jurisdiction: "eu" }]]),
      secrets: new Map([["stratus", ["OPERATOR_API_KEY", "SOMETHING_ELSE"]]]),
    });
    expect(plan.problems).toEqual([]);
    expect(plan.queues.exist.map((queue) => queue.name)).toEqual(["stratus-intent", "stratus-intent-eu"]);
    // The stages' and reports' queues, and the outbound channel queues (each group with its dead-letter queue).
    expect(plan.queues.create).toHaveLength(12);
    expect(plan.queues.create).toEqual(expect.arrayContaining([{ name: "stratus-channel-outbound-eu", jurisdiction: "eu" }, { name: "stratus-channel-outbound-dlq" }]));
    expect(plan.missingSecrets).toEqual([{ script: "stratus", names: ["TOKEN_SECRET", "METRICS_TOKEN"] }]);
    expect(plan.workers.map((worker) => [worker.worker, worker.config, worker.script])).toEqual([
      ["metrics", "workers/metrics/wrangler.toml", "stratus-metrics"],
      ["intent", "workers/intent/wrangler.toml", "stratus-intent"],
      ["gateway", "wrangler.toml", "stratus"],
      ["dialogue", "workers/dialogue/wrangler.toml", "stratus-dialogue"],
    ]);
    expect(DEPLOY_ORDER).toEqual(["metrics", "intent", "gateway", "dialogue"]);
    expect(plan.notes).toEqual(["workers/dialogue/wrangler.toml: ORDER_API_URL, MARKET_API_URL, HEALTH_API_URL point at this machine; set them to your backends' URLs before real traffic"]);
  });

  it("asks for every secret a Worker's env schema requires: each config's [secrets] required are exactly those", () => {
    const schemas = { gateway: GatewayConfigSchema, intent: IntentConfigSchema, dialogue: DialogueConfigSchema } as const;
    for (const [worker, schema] of Object.entries(schemas) as Array<[keyof typeof schemas, (typeof schemas)[keyof typeof schemas]]>) {
      // What an empty env lacks, less what the config sets as a var.
      const empty = schema.safeParse({});
      const vars = Object.keys(configs[worker].vars ?? {});
      const required = empty.success ? [] : [...new Set(empty.error.issues.map((issue) => String(issue.path[0])))].filter((name) => !vars.includes(name));
      expect(deploymentWorkers(configs).find((deploy) => deploy.worker === worker)?.requiredSecrets.toSorted(), worker).toEqual(required.toSorted());
    }
    expect(deploymentWorkers(configs).find((deploy) => deploy.worker === "gateway")?.requiredSecrets).toEqual(["TOKEN_SECRET", "OPERATOR_API_KEY", "METRICS_TOKEN"]);
  });

  it("stops on a queue in the wrong jurisdiction, or one wrangler cannot create", () => {
    const wrong = planDeployment(configs, { queues: new Map([["stratus-dialogue-eu", {}], ["stratus-analytics", { jurisdiction: "eu" }]]), secrets: new Map() });
    expect(wrong.problems).toEqual([
      'queue stratus-analytics exists in jurisdiction "eu", but it must have none: a queue\'s jurisdiction is set when it is created, so delete it and deploy again',
      'queue stratus-dialogue-eu exists without a jurisdiction, but its conversations must stay in "eu": a queue\'s jurisdiction is set when it is created, so delete it and deploy again',
    ]);
    const highConfigs = structuredClone(configs);
    (highConfigs.gateway.queues as { producers: Array<{ binding: string; queue: string }> }).producers.push({ binding: "INTENT_QUEUE_FEDRAMP_HIGH_0", queue: "stratus-intent-fedramp-high" });
    expect(planDeployment(highConfigs, none).problems).toContain('queue stratus-intent-fedramp-high: wrangler cannot create a queue in jurisdiction "fedramp-high" (it takes eu, us, fedramp)');
  });
});
