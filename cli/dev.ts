// `npm run dev`: the whole system on workerd — gateway (+ conversation Durable Objects), intent
// and dialogue Workers and their queues (two shards per stage) in one `wrangler dev` process — plus the demo backend
// services the example bots call. State persists in .wrangler/state (git-ignored).
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withLocalChannels } from "../devkit/channels.ts";
import { NO_LOCAL_TRACES } from "../devkit/local-traces.ts";
import { LOCAL_QUEUE_SHARDS, writeShardedConfigs } from "../devkit/queue-shard-configs.ts";
import { ensureLocalSecrets } from "./local-secrets.ts";

const port = process.env.PORT ?? "8787";
// Wrangler's local trace collector (devkit/local-traces.ts) is off unless asked for (`npm run dev -- --traces`).
const localTraces = process.argv.includes("--traces") || process.env.STRATUS_LOCAL_TRACES === "1";
const demoUrl = `http://127.0.0.1:${process.env.DEMO_PORT ?? "8790"}`;
const { OPERATOR_API_KEY, METRICS_TOKEN } = ensureLocalSecrets();

const children: ChildProcess[] = [];
function start(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { stdio: "inherit", env });
  children.push(child);
  child.on("exit", (code) => {
    // One part stopping stops the whole system, so nothing runs half-wired.
    stopAll();
    process.exitCode = code ?? 0;
  });
  return child;
}
function stopAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("SIGINT", stopAll);
process.on("SIGTERM", stopAll);

// On :8790, where the dialogue Worker's ORDER_API_URL / MARKET_API_URL / HEALTH_API_URL point (workers/dialogue/wrangler.toml).
// The order API checks the bots' user assertions with the keys the gateway publishes (docs/privacy.md).
start(process.execPath, ["demo/services.ts"], { ...process.env, DEMO_ACTION_KEYS_URL: `http://localhost:${port}/.well-known/stratus-action-keys.json` });

// The committed configs with two queue shards per stage, so local runs exercise sharding; wrangler
// reads the local secrets from the .dev.vars next to the configs.
const configDir = ".wrangler/dev-config";
rmSync(configDir, { recursive: true, force: true });
const { paths } = writeShardedConfigs(LOCAL_QUEUE_SHARDS, configDir);
// The ecommerce bot listens on every messaging channel, each platform's API the demo services'
// imitation (docs/channels.md, "Local imitations"); the credentials are .dev.vars'.
const gatewayConfig = paths[0] ?? "";
writeFileSync(gatewayConfig, JSON.stringify(withLocalChannels(JSON.parse(readFileSync(gatewayConfig, "utf8")) as Record<string, unknown>, "ecommerce", demoUrl), null, 2));
copyFileSync(".dev.vars", join(configDir, ".dev.vars"));

start(
  "wrangler",
  [
    "dev",
    ...paths.flatMap((config) => ["-c", config]),
    "--port", port,
    "--persist-to", ".wrangler/state",
    "--show-interactive-dev-session=false",
  ],
  localTraces ? process.env : { ...process.env, ...NO_LOCAL_TRACES },
);

console.log(`
  Stratus is starting on http://localhost:${port}
    demo shop        http://localhost:${port}/          (the chat widget, embedded with one script tag)
    chat page        http://localhost:${port}/chat
    operator inbox   http://localhost:${port}/inbox     (sign in with the operator key)
    analytics page   http://localhost:${port}/analytics (sign in with the operator key)
    API reference    http://localhost:${port}/docs      (/v1/openapi.json)
    operator key     ${OPERATOR_API_KEY}  (in .dev.vars; for the inbox, handoff, release and analytics)
    metrics          curl -H "Authorization: Bearer ${METRICS_TOKEN}" http://localhost:${port}/metrics
    channels         http://localhost:${port}/v1/channels/<slack|teams|telegram|whatsapp|line|wechat>/ecommerce
                     (signed with .dev.vars' secrets: devkit/channels.ts); replies: ${demoUrl}/_sent?channel=<name>
    local traces     ${localTraces ? "on (wrangler's trace collector)" : "off (npm run dev -- --traces turns wrangler's trace collector on; it costs each turn ~4 ms)"}
`);
