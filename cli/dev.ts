// `npm run dev`: the whole system on workerd — gateway (+ conversation Durable Objects), intent
// and dialogue Workers and their queues in one `wrangler dev` process — plus the demo backend
// services the example bots call. State persists in .wrangler/state (git-ignored).
import { spawn, type ChildProcess } from "node:child_process";
import { ensureLocalSecrets } from "./local-secrets.ts";

const port = process.env.PORT ?? "8787";
const { OPERATOR_API_KEY, METRICS_TOKEN } = ensureLocalSecrets();

const children: ChildProcess[] = [];
function start(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: "inherit" });
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

// On :8790, where the dialogue Worker's ORDER_API_URL / MARKET_API_URL point (workers/dialogue/wrangler.toml).
start(process.execPath, ["demo/services.ts"]);

start("wrangler", [
  "dev",
  "-c", "wrangler.toml",
  "-c", "workers/intent/wrangler.toml",
  "-c", "workers/dialogue/wrangler.toml",
  "-c", "workers/metrics/wrangler.toml",
  "--port", port,
  "--persist-to", ".wrangler/state",
  "--show-interactive-dev-session=false",
]);

console.log(`
  Stratus is starting on http://localhost:${port}
    chat page        http://localhost:${port}/
    API document     http://localhost:${port}/v1/openapi.json
    operator key     ${OPERATOR_API_KEY}  (in .dev.vars; for /handoff and /release)
    metrics          curl -H "Authorization: Bearer ${METRICS_TOKEN}" http://localhost:${port}/metrics
`);
