// The gateway's OpenAPI document built in Node, without a running server: the gateway app is bundled
// with esbuild (Node alone cannot load it: its modules import JSON without an import attribute and use
// TypeScript syntax that type stripping does not take) and asked for the document the way its
// `GET /v1/openapi.json` route builds it (app.ts: `app.doc31(API_DOCUMENT_PATH, API_DOCUMENT)`).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** An OpenAPI document as JSON: what the linter and the client generators read. */
export type ApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, unknown>> };

const ENTRY = `
import { app } from "./workers/gateway/src/app.ts";
import { API_DOCUMENT } from "./workers/gateway/src/api-document.ts";
export const document = app.getOpenAPI31Document(API_DOCUMENT);
`;

export async function buildApiDocument(): Promise<ApiDocument> {
  const bundled = await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, sourcefile: "api-document-entry.ts", loader: "ts" },
    bundle: true,
    format: "esm",
    // Resolved as wrangler bundles the Worker (its default platform and conditions), so that every
    // package loads the build the Worker runs: zod and the OpenAPI generator must share one zod.
    platform: "browser",
    conditions: ["workerd", "worker", "browser"],
    target: "es2024",
    write: false,
    logLevel: "warning",
    // As the committed wrangler.toml files define it (shared/dev-build.d.ts).
    define: { STRATUS_DEV_FAULTS: "false" },
  });
  const [output] = bundled.outputFiles;
  if (!output) throw new Error("esbuild produced no bundle for the gateway app");
  const dir = mkdtempSync(join(tmpdir(), "stratus-api-document-"));
  try {
    const file = join(dir, "app.mjs");
    writeFileSync(file, output.text);
    const loaded = (await import(pathToFileURL(file).href)) as { document: ApiDocument };
    // Through JSON, as the route serves it: what a client generator sees, no undefined fields.
    return JSON.parse(JSON.stringify(loaded.document)) as ApiDocument;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
