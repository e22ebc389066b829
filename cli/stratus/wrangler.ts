// The project's wrangler, run as a child process on this Node, for `npx stratus deploy`: it
// authenticates as the user set it up (`wrangler login`, or CLOUDFLARE_API_TOKEN and
// CLOUDFLARE_ACCOUNT_ID) and talks to the API at CLOUDFLARE_API_BASE_URL when that is set. What the
// deployment needs to know of the account — does a queue exist, in which jurisdiction, which secrets
// does a Worker have — is read from its commands' output.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { CommandError, PROJECT_ROOT } from "./command.ts";

const WRANGLER = join(PROJECT_ROOT, "node_modules", "wrangler", "bin", "wrangler.js");

export interface WranglerRun {
  code: number | null;
  /** stdout and stderr, without colours. */
  stdout: string;
  stderr: string;
}

/** Runs `wrangler <args>`; with `echo`, its output is also shown as it comes. */
export function runWrangler(args: string[], options: { echo?: boolean } = {}): Promise<WranglerRun> {
  const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (options.echo) process.stderr.write(chunk);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) }));
  });
}

/** wrangler's own error line(s) of a failed run (its "✘ [ERROR] …"), for a message. */
export function wranglerError(run: WranglerRun): string {
  const text = `${run.stderr}\n${run.stdout}`;
  const error = /\[ERROR\]\s*([\s\S]*?)(?:If you think this is a bug|🪵|$)/.exec(text)?.[1];
  const lines = (error ?? text.trim().split("\n").slice(-3).join("\n")).split("\n").map((line) => line.trim()).filter((line) => line !== "");
  return lines.join(" ") || `exit code ${String(run.code)}`;
}

/** A queue of the account: undefined when it does not exist. */
export async function readQueue(name: string): Promise<{ jurisdiction?: string } | undefined> {
  const run = await runWrangler(["queues", "info", name]);
  if (run.code === 0) {
    const jurisdiction = /^Jurisdiction:\s*(\S+)/m.exec(run.stdout)?.[1];
    return jurisdiction ? { jurisdiction } : {};
  }
  if (/Queue "[^"]+" does not exist/.test(run.stderr + run.stdout)) return undefined;
  throw new CommandError(
    `cannot read queue ${name} from the account: ${wranglerError(run)}\n` +
      "(Is wrangler signed in? `npx wrangler login`, or set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID.) Nothing was changed.",
  );
}

/** The secret names a Worker has; undefined when the Worker does not exist yet. */
export async function readSecretNames(config: string, script: string): Promise<string[] | undefined> {
  const run = await runWrangler(["secret", "list", "--format", "json", "-c", config]);
  if (run.code === 0) {
    const start = run.stdout.indexOf("[");
    try {
      const list = JSON.parse(run.stdout.slice(start)) as unknown;
      if (Array.isArray(list)) return list.map((entry) => String((entry as { name?: unknown }).name));
    } catch {
      // reported below
    }
    throw new CommandError(`cannot read the secrets of ${script}: wrangler printed no list`);
  }
  if (new RegExp(`Worker "${script}" not found|This Worker does not exist|\\[code: 10007\\]`).test(run.stderr + run.stdout)) return undefined;
  throw new CommandError(`cannot read the secrets of ${script}: ${wranglerError(run)}`);
}

/** Runs `items` through `task`, at most `limit` at a time, keeping their order. */
export async function inParallel<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
