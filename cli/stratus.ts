// `npx stratus <command> …` (bin/stratus.mjs starts this on the project's Node 24): start a bot,
// chat with it, evaluate its NLU, publish and release its versions, and deploy Stratus.
// docs/cli.md describes every command; `npx stratus <command> --help` prints its usage.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CommandError, EXIT, PROJECT_ROOT, UsageError, type Command } from "./stratus/command.ts";

const PACKAGE_VERSION = String((JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as { version?: unknown }).version);

const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import("./stratus/init.ts")).initCommand,
  shell: async () => (await import("./stratus/shell.ts")).shellCommand,
  test: async () => (await import("./stratus/test.ts")).testCommand,
  push: async () => (await import("./stratus/push.ts")).pushCommand,
  release: async () => (await import("./stratus/release.ts")).releaseCommand,
  versions: async () => (await import("./stratus/versions.ts")).versionsCommand,
  deploy: async () => (await import("./stratus/deploy.ts")).deployCommand,
};

const SUMMARIES: Record<keyof typeof COMMANDS, string> = {
  init: "scaffold a new bot in bots/<bot> that validates and passes its tests",
  shell: "chat with a bot in the terminal, with intent, confidence, entities and slots per turn",
  test: "test nlu <bot>: per-intent precision, recall, F1 and confusions; test conversations [bot]",
  push: "publish a bot's files as a new version to a deployment",
  release: "make a published version current, or a canary for a share of new conversations",
  versions: "list a bot's versions on a deployment: current, canary, notes",
  deploy: "a first (or next) deployment: queues, secrets, checks, the four Workers in order",
};

const USAGE = `Usage: npx stratus <command> [options]

Commands:
${Object.entries(SUMMARIES)
  .map(([name, summary]) => `  ${name.padEnd(9)} ${summary}`)
  .join("\n")}

\`npx stratus <command> --help\` describes a command's options; docs/cli.md describes them all.
\`npx stratus --version\` prints the version and the Node it runs on.
Exit codes: 0 done, 1 failed (a test, a server's answer, a deploy step), 2 wrong command line.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--version" || name === "-v") {
    process.stdout.write(`stratus ${PACKAGE_VERSION} (Node ${process.version})\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    (name === undefined ? process.stderr : process.stdout).write(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    process.stderr.write(`stratus: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.usage;
  }
  const command = await load();
  try {
    return await command.run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`stratus ${command.name}: ${error.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    if (error instanceof CommandError) {
      process.stderr.write(`stratus ${command.name}: ${error.message}\n`);
      return EXIT.failed;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
