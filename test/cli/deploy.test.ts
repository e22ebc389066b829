// `npx stratus deploy` without a Cloudflare account: the real wrangler (the project's) runs every
// command against a loopback imitation of Cloudflare's API (test/harness/fake-cloudflare-api.ts),
// which keeps what was created and records each call. A first run creates every queue and secret
// and deploys the four Workers in order; a second run creates nothing; --dry-run changes nothing.
// `npm run check` is run through a stand-in `npm` first on PATH that records its arguments: the
// real check (build, type-check, lint, bundles) runs in CI on its own; here what matters is that the
// deploy runs it before it changes anything, and stops when it fails.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FakeCloudflareApi, type RecordedCall } from "../harness/fake-cloudflare-api.ts";
import { REPO_ROOT, runStratusCli } from "../harness/stratus-cli.ts";

const CONFIGS = ["wrangler.toml", "workers/intent/wrangler.toml", "workers/dialogue/wrangler.toml", "workers/metrics/wrangler.toml"];
const WORKERS_IN_ORDER = ["stratus-metrics", "stratus-intent", "stratus", "stratus-dialogue"];
const SECRETS = ["TOKEN_SECRET", "OPERATOR_API_KEY", "METRICS_TOKEN"];
const DEPLOY_TIMEOUT = 300_000;

/** Every queue the committed configs name — producers, consumers, dead-letter queues — read here on their own. */
function namedQueues(): string[] {
  const names = CONFIGS.flatMap((file) => {
    const config = parse(readFileSync(join(REPO_ROOT, file), "utf8")) as {
      queues?: { producers?: Array<{ queue: string }>; consumers?: Array<{ queue: string; dead_letter_queue?: string }> };
    };
    return [
      ...(config.queues?.producers ?? []).map((producer) => producer.queue),
      ...(config.queues?.consumers ?? []).flatMap((consumer) => [consumer.queue, ...(consumer.dead_letter_queue ? [consumer.dead_letter_queue] : [])]),
    ];
  });
  return [...new Set(names)].sort();
}

const work = mkdtempSync(join(tmpdir(), "stratus-deploy-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The env of a run: wrangler pointed at the imitation, and a stand-in `npm` that exits `npmExit`. */
function deployEnv(api: FakeCloudflareApi & { url: string }, npmExit = 0): NodeJS.ProcessEnv {
  const bin = join(work, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "npm"), `#!/bin/sh\necho "$@" >> "${join(work, "npm.log")}"\nexit ${npmExit}\n`);
  chmodSync(join(bin, "npm"), 0o755);
  writeFileSync(join(work, "npm.log"), "");
  return { ...api.wranglerEnv(api.url), PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` };
}
const npmCalls = () => readFileSync(join(work, "npm.log"), "utf8").split("\n").filter((line) => line !== "");

/** The Workers uploaded, in order (a script upload or a new version of one). */
const uploads = (calls: readonly RecordedCall[]) =>
  calls.filter((call) => /\/workers\/scripts\/[^/]+(\/versions)?$/.test(call.path) && call.method !== "GET").map((call) => call.path.split("/")[5]);

const apis: FakeCloudflareApi[] = [];
async function newAccount() {
  const api = await FakeCloudflareApi.start();
  apis.push(api);
  return api;
}
afterEach(async () => {
  for (const api of apis.splice(0)) {
    expect(api.unknown, "wrangler called endpoints the imitation does not implement").toEqual([]);
    await api.close();
  }
});

describe("npx stratus deploy", () => {
  it(
    "creates every missing queue and secret on a first run and deploys the four Workers in order; a second run creates nothing",
    async () => {
      const api = await newAccount();
      const saved = join(work, "generated.env");
      const first = await runStratusCli(["deploy", "--generate-secrets", "--save-generated", saved], { env: deployEnv(api), timeoutMs: DEPLOY_TIMEOUT });
      expect(first.code, first.stderr).toBe(0);
      // The check ran, and it ran first: see the test below for what happens when it fails.
      expect(npmCalls()).toEqual(["run check"]);

      // Every queue the configs name, the jurisdiction's queues in it.
      expect([...api.queues.keys()].sort()).toEqual(namedQueues());
      for (const queue of api.queues.values()) expect(queue.jurisdiction, queue.queue_name).toBe(/-eu(-\d+)?(-dlq)?$/.test(queue.queue_name) ? "eu" : undefined);
      const creations = api.calls.filter((call) => call.method === "POST" && call.path.endsWith("/queues"));
      expect(creations).toHaveLength(namedQueues().length);
      // The four Workers, in the order each one's bindings need.
      expect(uploads(api.calls)).toEqual(WORKERS_IN_ORDER);
      // …with every queue consumed by the Worker its config names, each shard with its dead-letter queue.
      expect(api.queues.get("stratus-intent")?.consumers).toMatchObject([{ script: "stratus-intent", dead_letter_queue: "stratus-intent-dlq" }]);
      expect(api.queues.get("stratus-dialogue-eu")?.consumers).toMatchObject([{ script: "stratus-dialogue", dead_letter_queue: "stratus-dialogue-eu-dlq" }]);
      expect(api.queues.get("stratus-intent-dlq")?.consumers).toMatchObject([{ script: "stratus" }]);

      // The gateway's secrets were set to random values, saved for the operator (readable by them only).
      const gateway = api.scripts.get("stratus");
      expect([...(gateway?.secrets.keys() ?? [])].sort()).toEqual([...SECRETS].sort());
      const values = SECRETS.map((name) => gateway?.secrets.get(name) ?? "");
      for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(new Set(values).size).toBe(3);
      expect(statSync(saved).mode & 0o777).toBe(0o600);
      const savedText = readFileSync(saved, "utf8");
      for (const [i, name] of SECRETS.entries()) expect(savedText).toContain(`${name}="${values[i]}"  # stratus`);
      // No secret value in what the command printed.
      for (const value of values) expect(first.stdout + first.stderr).not.toContain(value);
      const named = namedQueues().length;
      expect(first.stdout).toContain(`Queues: ${named} named by the configs, 0 exist, ${named} to create\n`);
      expect(first.stdout).toContain(`Deployed ${WORKERS_IN_ORDER.join(", ")}. Created ${named} queue(s), set TOKEN_SECRET, OPERATOR_API_KEY, METRICS_TOKEN.`);
      expect(first.stdout).toContain("The gateway: https://stratus.stratus-test.workers.dev");

      // A second run: the same Workers again, and nothing created or set.
      const callsBefore = api.calls.length;
      const second = await runStratusCli(["deploy", "--skip-check"], { env: deployEnv(api), timeoutMs: DEPLOY_TIMEOUT });
      expect(second.code, second.stderr).toBe(0);
      const again = api.calls.slice(callsBefore);
      expect(again.filter((call) => call.method === "POST" && call.path.endsWith("/queues"))).toEqual([]);
      expect(uploads(again)).toEqual(WORKERS_IN_ORDER);
      expect(api.scripts.get("stratus")?.secrets).toEqual(gateway?.secrets);
      expect(npmCalls()).toEqual([]);
      expect(second.stdout).toContain(`Queues: ${named} named by the configs, ${named} exist, 0 to create\n`);
      expect(second.stdout).toContain("Created no queue, set no secret.");
    },
    DEPLOY_TIMEOUT * 2,
  );

  it(
    "--dry-run prints exactly what it would create and run, and changes nothing",
    async () => {
      const api = await newAccount();
      const run = await runStratusCli(["deploy", "--dry-run"], { env: deployEnv(api), timeoutMs: DEPLOY_TIMEOUT });
      expect(run.code, run.stderr).toBe(0);
      expect(api.changes()).toEqual([]);
      expect(npmCalls()).toEqual([]);
      const planned = run.stdout.slice(run.stdout.indexOf("Would run:\n") + "Would run:\n".length).trimEnd().split("\n").map((line) => line.trim());
      expect(planned).toEqual([
        "npm run check",
        ...namedQueues().map((name) => `npx wrangler queues create ${name}${/-eu(-dlq)?$/.test(name) ? " --jurisdiction eu" : ""}`),
        "npx wrangler deploy -c workers/metrics/wrangler.toml",
        "npx wrangler deploy -c workers/intent/wrangler.toml",
        "npx wrangler deploy -c wrangler.toml --secrets-file <a temporary file with TOKEN_SECRET, OPERATOR_API_KEY, METRICS_TOKEN>",
        "npx wrangler deploy -c workers/dialogue/wrangler.toml",
      ]);
      expect(run.stdout).toContain("+ stratus: TOKEN_SECRET, OPERATOR_API_KEY, METRICS_TOKEN would be asked for (or generated)");
      expect(run.stdout).toContain("Note: workers/dialogue/wrangler.toml: ORDER_API_URL, MARKET_API_URL, HEALTH_API_URL point at this machine");
    },
    DEPLOY_TIMEOUT,
  );

  it(
    "creates only what is missing, with a secret from --secrets-file",
    async () => {
      const api = await newAccount();
      const first = await runStratusCli(["deploy", "--skip-check", "--generate-secrets", "--save-generated", join(work, "g.env")], { env: deployEnv(api), timeoutMs: DEPLOY_TIMEOUT });
      expect(first.code, first.stderr).toBe(0);
      // Someone deleted a queue and a secret since.
      api.queues.delete("stratus-dialogue-eu-dlq");
      api.scripts.get("stratus")?.secrets.delete("METRICS_TOKEN");
      const tokenBefore = api.scripts.get("stratus")?.secrets.get("TOKEN_SECRET");
      const file = join(work, "secrets.env");
      writeFileSync(file, `# for the gateway\nMETRICS_TOKEN="prometheus-reads-this"\nTOKEN_SECRET=not-used-it-is-set\n`);
      const calls = api.calls.length;
      const run = await runStratusCli(["deploy", "--skip-check", "--secrets-file", file], { env: deployEnv(api), timeoutMs: DEPLOY_TIMEOUT });
      expect(run.code, run.stderr).toBe(0);
      expect(api.calls.slice(calls).filter((call) => call.method === "POST" && call.path.endsWith("/queues"))).toHaveLength(1);
      expect(api.queues.get("stratus-dialogue-eu-dlq")?.jurisdiction).toBe("eu");
      expect(api.scripts.get("stratus")?.secrets.get("METRICS_TOKEN")).toBe("prometheus-reads-this");
      expect(api.scripts.get("stratus")?.secrets.get("TOKEN_SECRET")).toBe(tokenBefore);
      expect(run.stdout).toContain("Created 1 queue(s), set METRICS_TOKEN.");
    },
    DEPLOY_TIMEOUT * 2,
  );

  it(
    "changes nothing when the check fails, when it cannot ask for secrets, or when a queue is in the wrong jurisdiction",
    async () => {
      const api = await newAccount();
      const failedCheck = await runStratusCli(["deploy", "--generate-secrets"], { env: deployEnv(api, 1), timeoutMs: DEPLOY_TIMEOUT });
      expect(failedCheck.code).toBe(1);
      expect(failedCheck.stderr).toContain("stratus deploy: npm run check failed: nothing was deployed");
      expect(npmCalls()).toEqual(["run check"]);
      expect(api.changes()).toEqual([]);

      const noTerminal = await runStratusCli(["deploy", "--skip-check"], { env: deployEnv(api), timeoutMs: DEPLOY_TIMEOUT });
      expect(noTerminal.code).toBe(1);
      expect(noTerminal.stderr).toContain("missing secrets and no terminal to ask for them: stratus: TOKEN_SECRET, stratus: OPERATOR_API_KEY, stratus: METRICS_TOKEN");
      expect(api.changes()).toEqual([]);

      // A queue that exists outside the jurisdiction its conversations must stay in.
      api.queues.set("stratus-intent-eu", { queue_id: "0123abcd", queue_name: "stratus-intent-eu", created_on: "", modified_on: "", consumers: [] });
      const wrongPlace = await runStratusCli(["deploy", "--skip-check", "--generate-secrets"], { env: deployEnv(api), timeoutMs: DEPLOY_TIMEOUT });
      expect(wrongPlace.code).toBe(1);
      expect(wrongPlace.stderr).toContain('queue stratus-intent-eu exists without a jurisdiction, but its conversations must stay in "eu"');
      expect(api.changes()).toEqual([]);
    },
    DEPLOY_TIMEOUT * 2,
  );

  it(
    "says so when the account refuses wrangler's credentials",
    async () => {
      const api = await newAccount();
      const run = await runStratusCli(["deploy", "--dry-run"], { env: { ...deployEnv(api), CLOUDFLARE_API_TOKEN: "wrong-token" }, timeoutMs: DEPLOY_TIMEOUT });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^stratus deploy: cannot read queue stratus-\S+ from the account: .*Authentication error/m);
      expect(api.changes()).toEqual([]);
    },
    DEPLOY_TIMEOUT,
  );
});
