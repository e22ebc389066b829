// docs/scaling.md, the plan files it cites and the cost chart are what `npm run plan:docs` writes
// from the committed measurements, prices and configs: a figure in the page never drifts from the
// bench or the planner, and each of its line references points at a line holding that figure.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../devkit/local-stack.ts";
import { committedDeployment } from "../../planner/deployment.ts";
import { readLatency, readPriceBook, readTurnCosts } from "../../planner/files.ts";
import { SCALING_DOC, scalingDocuments } from "../../planner/scaling-doc.ts";

const documents = scalingDocuments({ costs: readTurnCosts(), prices: readPriceBook(), latency: readLatency(), deployment: committedDeployment() });

describe("docs/scaling.md", () => {
  it.each(Object.keys(documents))("%s is what npm run plan:docs writes", (path) => {
    expect(readFileSync(join(ROOT, path), "utf8"), `${path} is stale: run npm run plan:docs`).toBe(documents[path]);
  });

  it("cites only lines that exist in the files it links", () => {
    const page = documents[SCALING_DOC]!;
    const references = [...page.matchAll(/\]\((plans\/[^)#]+)#L(\d+)(?:-L(\d+))?\)/g)];
    expect(references.length).toBeGreaterThan(10);
    for (const [, file, first, last] of references) {
      const lines = (documents[`docs/${file!}`] ?? "").split("\n");
      expect(Number(last ?? first), `docs/${file} line ${last ?? first}`).toBeLessThanOrEqual(lines.length);
      expect(lines[Number(first) - 1]?.trim(), `docs/${file} line ${first} is empty`).not.toBe("");
    }
  });

  it("links only files that exist", () => {
    const page = documents[SCALING_DOC]!;
    for (const [, target] of page.matchAll(/\]\(((?:\.\.\/|plans\/|images\/)[^)#\s]+)/g)) {
      expect(existsSync(join(ROOT, "docs", target!)), `${target} does not exist`).toBe(true);
    }
  });
});
