// `npm run build:clients`: the browser and mobile clients, built into git-ignored folders.
//   clients/js/dist/index.js, dist/types/   the SDK (@stratus/client): ESM, no runtime dependency, with types
//   web/widget/v<version>/stratus-widget.js  the widget (SDK bundled in) and its stylesheet, served by the
//                                            gateway as static assets; fails over the size budget
//   web/inbox.js                             the operator inbox's script (/inbox)
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The widget's budget: script and stylesheet together, gzipped. */
const WIDGET_BUDGET_BYTES = 30 * 1024;

const root = fileURLToPath(new URL("..", import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, "clients/widget/package.json"), "utf8")) as { version: string };
const widgetDir = join(root, "web/widget", `v${version}`);
const fail = (message: string): never => {
  console.error(`build:clients: ${message}`);
  process.exit(1);
};

// The SDK as a library: readable ESM; its types come from the shared zod schemas, erased here.
const sdkDir = join(root, "clients/js/dist");
rmSync(sdkDir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, "clients/js/src/index.ts")],
  outfile: join(sdkDir, "index.js"),
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  logLevel: "warning",
});
if (readFileSync(join(sdkDir, "index.js"), "utf8").includes("zod")) fail("the SDK bundle pulled in zod at run time");
const declarations = spawnSync(join(root, "node_modules/.bin/tsc"), ["-p", join(root, "clients/js/tsconfig.build.json")], {
  encoding: "utf8",
});
if (declarations.status !== 0) fail(`declarations:\n${declarations.stdout}${declarations.stderr}`);

// The widget: one script for a <script> tag, plus its stylesheet (loaded into the shadow root).
rmSync(join(root, "web/widget"), { recursive: true, force: true });
mkdirSync(widgetDir, { recursive: true });
await build({
  entryPoints: [join(root, "clients/widget/src/index.ts"), join(root, "clients/widget/src/widget.css")],
  entryNames: "stratus-[name]",
  outdir: widgetDir,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2022", "chrome111", "firefox115", "safari16"],
  logLevel: "warning",
});

const gzipped = (file: string) => gzipSync(readFileSync(join(widgetDir, file)), { level: 9 }).byteLength;
const script = gzipped("stratus-index.js");
const stylesheet = gzipped("stratus-widget.css");
// esbuild names entries after their files; the public names are fixed.
copyFileSync(join(widgetDir, "stratus-index.js"), join(widgetDir, "stratus-widget.js"));
rmSync(join(widgetDir, "stratus-index.js"));
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(
  `build:clients: widget v${version}: script ${kib(statSync(join(widgetDir, "stratus-widget.js")).size)} ` +
    `(${kib(script)} gzipped), stylesheet ${kib(stylesheet)} gzipped; budget ${kib(WIDGET_BUDGET_BYTES)}`,
);
if (script + stylesheet > WIDGET_BUDGET_BYTES) fail(`the widget is ${kib(script + stylesheet)} gzipped, over its budget`);

// The demo shop must embed the widget that was just built.
const shop = readFileSync(join(root, "web/index.html"), "utf8");
if (!shop.includes(`/widget/v${version}/stratus-widget.js`)) fail(`web/index.html does not embed /widget/v${version}/stratus-widget.js`);

// The operator inbox: the SDK reads each conversation live; operator calls are its own.
await build({
  entryPoints: [join(root, "clients/inbox/src/index.ts")],
  outfile: join(root, "web/inbox.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2022", "chrome111", "firefox115", "safari16"],
  logLevel: "warning",
});

console.log("build:clients: clients/js/dist (SDK), web/inbox.js");
