// A bot's documents (`knowledge:` in bot.yaml, docs/knowledge.md): reads <folder>/<locale>/**/*.md
// and *.html and indexes them (shared/bots/knowledge-files.ts, which a published bot document is
// indexed by too). Used by `npm run validate` and `npm run build:bots` (through load-bots.ts), by
// `npx stratus push` (bot-document.ts) and by the knowledge bench; problems are returned as lines
// naming the file, like every other bot problem.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { indexBotKnowledge, KNOWLEDGE_FILE, withoutTrailingSlashes, type BotKnowledge, type KnowledgeFiles } from "../../shared/bots/knowledge-files.ts";
import type { Locale } from "../../shared/languages/index.ts";
import type { KnowledgeSettings } from "../../shared/schemas/knowledge.ts";

export type { BotKnowledge } from "../../shared/bots/knowledge-files.ts";

function documentFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (name.startsWith(".") || name.startsWith("_")) return [];
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return documentFiles(path);
      return KNOWLEDGE_FILE.test(name) ? [path] : [];
    });
}

/**
 * The knowledge folder of a bot folder as the files a document carries: its top-level folders and
 * the documents under them by `/`-separated path (hidden and `_` names, other extensions left out).
 * Undefined when the folder does not exist.
 */
export function readKnowledgeFiles(botDir: string, settings: KnowledgeSettings): KnowledgeFiles | undefined {
  const root = join(botDir, settings.folder);
  if (!existsSync(root) || !statSync(root).isDirectory()) return undefined;
  const folders = readdirSync(root).filter((name) => statSync(join(root, name)).isDirectory());
  const files: Record<string, string> = {};
  for (const folder of folders) {
    if (folder.startsWith(".") || folder.startsWith("_")) continue;
    for (const file of documentFiles(join(root, folder))) files[relative(root, file).split(/[\\/]/).join("/")] = readFileSync(file, "utf8");
  }
  return { folders, files };
}

/**
 * Reads and indexes the bot's documents. `shownDir` is how problems name the bot's folder
 * (`bots/ecommerce`). Every locale the bot speaks needs documents; folders of other names are refused.
 */
export function loadBotKnowledge(botDir: string, shownDir: string, settings: KnowledgeSettings, locales: readonly Locale[]): { knowledge?: BotKnowledge; errors: string[] } {
  const content = readKnowledgeFiles(botDir, settings);
  if (content === undefined) return { errors: [`${shownDir}/bot.yaml: knowledge.folder: no folder ${withoutTrailingSlashes(`${shownDir}/${settings.folder}`)}/`] };
  return indexBotKnowledge(content, shownDir, settings, locales);
}
