// What a deployment of Stratus needs, read from the Workers' wrangler.toml files, and what is
// missing from an account: the queues to create (each shard, its dead-letter queue, the
// jurisdictions' queues, the analytics and turn-failure queues), the secrets the configs require
// that are not set, and the Workers to deploy in order. Used by `npx stratus deploy`, which reads
// the account's state with wrangler and carries the plan out.
import { queueJurisdiction, queuesNamedIn, type WorkerConfigs } from "./queue-shard-configs.ts";
import { WORKERS, type WorkerConfig, type WorkerName } from "./worker-configs.ts";

/**
 * The order the Workers deploy in, as `npm run deploy` does: each binds to those before it (the
 * metrics Worker's Durable Object class, the intent Worker's RPC service, the gateway's
 * conversation class), and a binding needs its target deployed.
 */
export const DEPLOY_ORDER: readonly WorkerName[] = ["metrics", "intent", "gateway", "dialogue"];

/** The jurisdictions `wrangler queues create --jurisdiction` takes (wrangler 4's choices). */
export const QUEUE_JURISDICTIONS: readonly string[] = ["eu", "us", "fedramp"];

export interface QueueSpec {
  name: string;
  jurisdiction?: string;
}

export interface WorkerDeploy {
  worker: WorkerName;
  /** The config, relative to the project: what `wrangler deploy -c` gets. */
  config: string;
  /** The Worker's name on the account. */
  script: string;
  /** Secrets its config requires (`[secrets] required`). */
  requiredSecrets: string[];
}

/** What the account has, as read before the deployment. */
export interface AccountState {
  /** Existing queues by name, with their jurisdiction. */
  queues: ReadonlyMap<string, { jurisdiction?: string | undefined }>;
  /** Secret names set on each existing Worker; a Worker absent here does not exist yet. */
  secrets: ReadonlyMap<string, readonly string[]>;
}

export interface DeployPlan {
  queues: { create: QueueSpec[]; exist: QueueSpec[] };
  /** Secrets to set, per Worker, in deploy order. */
  missingSecrets: Array<{ script: string; names: string[] }>;
  workers: WorkerDeploy[];
  /** What stops the deployment before it changes anything. */
  problems: string[];
  /** What the operator should know, but does not stop it (vars that point at this machine). */
  notes: string[];
}

/** Every queue the configs name, by name, with the jurisdiction it must be created in. */
export function deploymentQueues(configs: WorkerConfigs): QueueSpec[] {
  return queuesNamedIn(configs)
    .sort()
    .map((name) => {
      const jurisdiction = queueJurisdiction(name);
      return jurisdiction ? { name, jurisdiction } : { name };
    });
}

export function deploymentWorkers(configs: WorkerConfigs): WorkerDeploy[] {
  return DEPLOY_ORDER.map((worker) => {
    const config = configs[worker];
    const secrets = (config.secrets ?? {}) as { required?: unknown };
    const required = Array.isArray(secrets.required) ? secrets.required.filter((name): name is string => typeof name === "string") : [];
    return { worker, config: WORKERS[worker], script: config.name, requiredSecrets: required };
  });
}

/** Vars whose value points at this machine: a deployed Worker cannot reach it. */
function loopbackVars(config: WorkerConfig): string[] {
  const vars = (config.vars ?? {}) as Record<string, unknown>;
  return Object.entries(vars)
    .filter(([, value]) => typeof value === "string" && /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(value))
    .map(([name]) => name);
}

export function planDeployment(configs: WorkerConfigs, state: AccountState): DeployPlan {
  const plan: DeployPlan = { queues: { create: [], exist: [] }, missingSecrets: [], workers: deploymentWorkers(configs), problems: [], notes: [] };
  for (const queue of deploymentQueues(configs)) {
    const existing = state.queues.get(queue.name);
    if (existing === undefined) {
      if (queue.jurisdiction !== undefined && !QUEUE_JURISDICTIONS.includes(queue.jurisdiction)) {
        plan.problems.push(`queue ${queue.name}: wrangler cannot create a queue in jurisdiction "${queue.jurisdiction}" (it takes ${QUEUE_JURISDICTIONS.join(", ")})`);
      }
      plan.queues.create.push(queue);
    } else {
      if ((existing.jurisdiction ?? undefined) !== queue.jurisdiction) {
        plan.problems.push(
          `queue ${queue.name} exists ${existing.jurisdiction ? `in jurisdiction "${existing.jurisdiction}"` : "without a jurisdiction"}, but ` +
            `${queue.jurisdiction ? `its conversations must stay in "${queue.jurisdiction}"` : "it must have none"}: a queue's jurisdiction is set when it is created, so delete it and deploy again`,
        );
      }
      plan.queues.exist.push(queue);
    }
  }
  for (const worker of plan.workers) {
    const set = state.secrets.get(worker.script) ?? [];
    const missing = worker.requiredSecrets.filter((name) => !set.includes(name));
    if (missing.length > 0) plan.missingSecrets.push({ script: worker.script, names: missing });
    const vars = loopbackVars(configs[worker.worker]);
    if (vars.length > 0) plan.notes.push(`${worker.config}: ${vars.join(", ")} point at this machine; set them to your backends' URLs before real traffic`);
  }
  return plan;
}
