// A bot's documents (`knowledge:` in bot.yaml) are checked like its other files: a missing folder,
// a locale without documents or a folder that is no locale of the bot is reported with its path.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadBots } from "../../../devkit/bots/load-bots.ts";
import { ROOT } from "./engine/helpers.ts";

const temporaryRoots: string[] = [];
afterEach(() => {
  for (const dir of temporaryRoots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of bots/ecommerce in a scratch root. */
function copyOfShop(): string {
  const root = mkdtempSync(join(tmpdir(), "stratus-knowledge-"));
  temporaryRoots.push(root);
  cpSync(join(ROOT, "bots/ecommerce"), join(root, "bots/ecommerce"), { recursive: true });
  return root;
}

describe("knowledge files", () => {
  it("the example bots' help pages load, every locale indexed", () => {
    const { bots, errors } = loadBots(ROOT);
    expect(errors).toEqual([]);
    for (const bot of bots) {
      expect(Object.keys(bot.knowledge?.indexes ?? {}).sort()).toEqual([...bot.definition.locales].sort());
    }
  });

  it("reports a folder that does not exist", () => {
    const root = copyOfShop();
    const file = join(root, "bots/ecommerce/bot.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("folder: help", "folder: helpdesk"));
    expect(loadBots(root).errors).toEqual(["bots/ecommerce/bot.yaml: knowledge.folder: no folder bots/ecommerce/helpdesk/"]);
  });

  it("reports a locale without documents and a folder that is no locale of the bot", () => {
    const root = copyOfShop();
    renameSync(join(root, "bots/ecommerce/help/es"), join(root, "bots/ecommerce/help/fr"));
    expect(loadBots(root).errors).toEqual([
      "bots/ecommerce/help/fr/: not a locale of the bot (documents go in help/en/, help/zh/, help/es/)",
      'bots/ecommerce/help/es/: no documents for locale "es" (the bot declares en, zh, es)',
    ]);
  });

  it("reports a page without text and refuses a folder outside the bot", () => {
    const root = copyOfShop();
    mkdirSync(join(root, "bots/ecommerce/help/en/empty"));
    writeFileSync(join(root, "bots/ecommerce/help/en/empty/page.md"), "# Just a title\n");
    expect(loadBots(root).errors).toEqual(["bots/ecommerce/help/en/empty/page.md: no text to answer from"]);
    const file = join(root, "bots/ecommerce/bot.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("folder: help", "folder: ../finance/help"));
    expect(loadBots(root).errors[0]).toMatch(/^bots\/ecommerce\/bot\.yaml: knowledge\.folder: a folder inside the bot's folder/);
  });
});
