// Runs `npx stratus …` as a user does, as a child process (cli/stratus.ts on this Node 24): its
// stdin fed line by line, its stdout, stderr and exit code collected.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runStratusCli(
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; entry?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const entry = options.entry ?? fileURLToPath(new URL("../../cli/stratus.ts", import.meta.url));
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? "");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`stratus ${args.join(" ")} did not finish in ${options.timeoutMs ?? 120_000} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
