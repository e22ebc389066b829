// The API document's lint (redocly.yaml, `npm run lint:api`) as a guard for routes added later: the
// document as built passes with nothing but its two recorded exceptions, and the same document with a
// route added carelessly (no operationId, no security, no 4xx, an operationId in another style) fails.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApiDocument, type ApiDocument } from "../../devkit/api-document.ts";
import { ROOT } from "../../devkit/local-stack.ts";

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; severity: string; location: { pointer: string }[] }[];
}

let document: ApiDocument;
const dirs: string[] = [];
beforeAll(async () => {
  document = await buildApiDocument();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** `redocly lint` with the repository's config and exceptions, on `doc` at the path they name. */
function lint(doc: ApiDocument): { status: number | null; report: LintReport } {
  const dir = mkdtempSync(join(tmpdir(), "stratus-api-lint-"));
  dirs.push(dir);
  mkdirSync(join(dir, "generated"));
  writeFileSync(join(dir, "generated/openapi.json"), JSON.stringify(doc, null, 2));
  for (const file of ["redocly.yaml", ".redocly.lint-ignore.yaml"]) copyFileSync(join(ROOT, file), join(dir, file));
  const run = spawnSync(join(ROOT, "node_modules/.bin/redocly"), ["lint", "--format", "json", "generated/openapi.json"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  return { status: run.status, report: JSON.parse(run.stdout) as LintReport };
}

describe("the API document's lint", () => {
  it("passes the document as built: no error, no warning, only the two recorded exceptions", () => {
    const { status, report } = lint(document);
    expect(report.problems).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 2 });
    expect(status).toBe(0);
  });

  it("fails a route added without an operationId, a security or a 4xx, and an operationId in another style", () => {
    const careless = structuredClone(document);
    careless.paths["/v1/things"] = {
      get: { summary: "A new route", responses: { "200": { description: "The things" } } },
      post: { operationId: "create_thing", summary: "Another", security: [], responses: { "201": { description: "Created" }, "400": { description: "Bad" } } },
    };
    const { status, report } = lint(careless);
    expect(status).toBe(1);
    const found = report.problems.map((problem) => `${problem.ruleId} ${problem.location[0]?.pointer ?? ""}`).toSorted();
    expect(found).toEqual([
      "operation-4xx-response #/paths/~1v1~1things/get/responses",
      "operation-operationId #/paths/~1v1~1things/get/operationId",
      "rule/operation-id-camel-case #/paths/~1v1~1things/post/operationId",
      "security-defined #/paths/~1v1~1things/get",
    ]);
    // Redocly's warnings are errors here (recommended-strict): a warning alone fails the check.
    expect(report.problems.every((problem) => problem.severity === "error")).toBe(true);
  });
});
