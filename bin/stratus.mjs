#!/usr/bin/env node
// `npx stratus …`: runs cli/stratus.ts on the project's pinned Node (the `node` devDependency,
// Node 24, which runs .ts files directly), whichever Node started this shim — npx may start it on
// the system's older one. Plain JavaScript that any Node since 14 can run, so that the message
// below is seen rather than a syntax error.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = new URL("..", import.meta.url);
const entry = fileURLToPath(new URL("cli/stratus.ts", root));
const pinned = fileURLToPath(new URL("node_modules/node/bin/node", root));
// The pinned Node when installed; else this one, if it can strip types itself (22.18+, 23.6+).
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
const canRunTypeScript = major >= 24 || (major === 22 && minor >= 18) || (major === 23 && minor >= 6);
const node = existsSync(pinned) ? pinned : canRunTypeScript ? process.execPath : undefined;
if (node === undefined) {
  process.stderr.write(`stratus: needs the project's Node 24: run \`npm install\` in ${fileURLToPath(root)} first\n`);
  process.exit(1);
}
const child = spawn(node, [entry, ...process.argv.slice(2)], { stdio: "inherit" });
// Ctrl-C reaches the child from the terminal itself; a signal sent to this process alone is passed on.
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
process.on("SIGINT", () => {});
child.on("error", (error) => {
  process.stderr.write(`stratus: could not start ${node}: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (signal !== null) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
