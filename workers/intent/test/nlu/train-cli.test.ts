import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel, parse } from "../../src/nlu/index.ts";

const root = join(import.meta.dirname, "..", "..", "..", "..");
const cli = join(root, "cli", "train.ts");
const fixtures = join(import.meta.dirname, "..", "fixtures");

describe("cli/train.ts", () => {
  it("trains every bot of a folder into one models file, byte-identical on a second run", () => {
    const out = mkdtempSync(join(tmpdir(), "stratus-train-"));
    const first = join(out, "a.json");
    const second = join(out, "b.json");
    const log = execFileSync(process.execPath, [cli, "--bots", fixtures, "--out", first], { encoding: "utf8" });
    execFileSync(process.execPath, [cli, "--bots", fixtures, "--out", second], { encoding: "utf8" });
    expect(log).toMatch(/shop: [\d.]+ KiB raw, [\d.]+ KiB gzipped/);
    expect(readFileSync(first, "utf8")).toBe(readFileSync(second, "utf8"));
    const models = JSON.parse(readFileSync(first, "utf8")) as Record<string, unknown>;
    // "invalid" holds a bot folder one level deeper, so only "shop" is a bot here.
    expect(Object.keys(models)).toEqual(["shop"]);
    expect(parse(loadModel(models.shop), "where is my order", {}).intent.name).toBe("order_status");
  });

  it("exits non-zero naming the file and path of invalid training data", () => {
    const out = join(mkdtempSync(join(tmpdir(), "stratus-train-")), "models.json");
    const run = spawnSync(process.execPath, [cli, "--bots", join(fixtures, "invalid"), "--out", out], { encoding: "utf8" });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/broken[/\\]nlu\.yaml: intents\.greet\.en\[3\]: empty example/);
  });
});
