// `npx stratus` from the repository, as a user types it: npm's own Node (the system's, 20 on this
// machine) starts bin/stratus.mjs, which runs the CLI on the project's pinned Node 24 and passes
// its exit code on.
import { spawnSync } from "node:child_process";
import { delimiter } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/stratus-cli.ts";

// The PATH of a shell outside npm: without the node_modules/.bin folders npm scripts put first.
const systemPath = (process.env.PATH ?? "").split(delimiter).filter((dir) => !dir.includes("node_modules")).join(delimiter);
const npx = (args: string[]) => spawnSync("npx", ["stratus", ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, PATH: systemPath, NO_COLOR: "1" } });
const systemNode = spawnSync("node", ["--version"], { encoding: "utf8", env: { ...process.env, PATH: systemPath } }).stdout.trim();

describe("npx stratus", () => {
  it(`runs the CLI on the pinned Node 24 when npx starts it on the system's (${systemNode || "none"})`, () => {
    const run = npx(["--version"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^stratus \d+\.\d+\.\d+ \(Node v24\.\d+\.\d+\)\n$/);
  });

  it("prints its usage, and passes the CLI's exit codes on", () => {
    const help = npx(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npx stratus <command> \[options\]\n\nCommands:\n {2}init /);
    for (const command of ["init", "shell", "test", "push", "release", "deploy"]) expect(help.stdout).toMatch(new RegExp(`^ {2}${command} +\\S`, "m"));
    const unknown = npx(["frobnicate"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('stratus: unknown command "frobnicate"');
    const refused = npx(["init", "Not-An-Id"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('stratus init: "Not-An-Id" is not a bot id');
    const failed = npx(["test", "nlu", "no-such-bot"]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("stratus test: no bots/no-such-bot/");
  });
});
