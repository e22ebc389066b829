// A bot's documents (`knowledge:` in bot.yaml, docs/knowledge.md): reads <folder>/<locale>/**/*.md
// and *.html, splits them into passages and indexes each locale. Used by `npm run validate` and
// `npm run build:bots` (through load-bots.ts) and by the knowledge bench; problems are returned
// as lines naming the file, like every other bot problem.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { buildKnowledgeIndex } from "../../shared/knowledge/build-index.ts";
import type { ParsedDocument } from "../../shared/knowledge/document.ts";
import { parseHtml } from "../../shared/knowledge/html.ts";
import { parseMarkdown } from "../../shared/knowledge/markdown.ts";
import { documentPassages } from "../../shared/knowledge/passages.ts";
import { isLocale, type Locale } from "../../shared/languages/index.ts";
import type { KnowledgeIndexData, KnowledgePassage, KnowledgeSettings } from "../../shared/schemas/knowledge.ts";

const EXTENSIONS = new Set([".md", ".markdown", ".html", ".htm"]);

export interface BotKnowledge {
  /** Every passage per locale, in file order. */
  passages: Partial<Record<Locale, KnowledgePassage[]>>;
  /** The precomputed index per locale (what generated/knowledge.json holds). */
  indexes: Partial<Record<Locale, KnowledgeIndexData>>;
}

function documentFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (name.startsWith(".") || name.startsWith("_")) return [];
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return documentFiles(path);
      return EXTENSIONS.has(extname(name).toLowerCase()) ? [path] : [];
    });
}

/** The document's link: its own, else `<baseUrl>/<locale>/<path>`, else its path in the bot's folder. */
function documentUrl(document: ParsedDocument, settings: KnowledgeSettings, locale: Locale, path: string, fileInBot: string): string {
  if (document.url !== undefined) return document.url;
  if (settings.baseUrl !== undefined) return `${settings.baseUrl.replace(/\/+$/, "")}/${locale}/${path.split("/").map(encodeURIComponent).join("/")}`;
  return fileInBot;
}

/**
 * Reads and indexes the bot's documents. `shownDir` is how problems name the bot's folder
 * (`bots/ecommerce`). Every locale the bot speaks needs documents; folders of other names are refused.
 */
export function loadBotKnowledge(botDir: string, shownDir: string, settings: KnowledgeSettings, locales: readonly Locale[]): { knowledge?: BotKnowledge; errors: string[] } {
  const root = join(botDir, settings.folder);
  const shownRoot = `${shownDir}/${settings.folder}`.replace(/\/+$/, "");
  const errors: string[] = [];
  if (!existsSync(root) || !statSync(root).isDirectory()) return { errors: [`${shownDir}/bot.yaml: knowledge.folder: no folder ${shownRoot}/`] };
  const passages: Partial<Record<Locale, KnowledgePassage[]>> = {};
  for (const name of readdirSync(root).sort()) {
    if (name.startsWith(".") || name.startsWith("_") || !statSync(join(root, name)).isDirectory()) continue;
    if (!isLocale(name) || !locales.includes(name)) {
      errors.push(`${shownRoot}/${name}/: not a locale of the bot (documents go in ${locales.map((locale) => `${settings.folder}/${locale}/`).join(", ")})`);
      continue;
    }
    const locale = name;
    const localeDir = join(root, locale);
    const list: KnowledgePassage[] = [];
    const paths = new Map<string, string>();
    for (const file of documentFiles(localeDir)) {
      const shownFile = `${shownRoot}/${relative(root, file).split(/[\\/]/).join("/")}`;
      const path = relative(localeDir, file).split(/[\\/]/).join("/").replace(/\.[^./]+$/, "");
      const clash = paths.get(path);
      if (clash !== undefined) {
        errors.push(`${shownFile}: same page as ${clash} (${locale}/${path}): keep one of them`);
        continue;
      }
      paths.set(path, shownFile);
      const source = readFileSync(file, "utf8");
      const fallbackTitle = path.split("/").pop() ?? path;
      const document = /\.html?$/i.test(file) ? parseHtml(source, fallbackTitle) : parseMarkdown(source, fallbackTitle);
      if (document.sections.length === 0) {
        errors.push(`${shownFile}: no text to answer from`);
        continue;
      }
      const url = documentUrl(document, settings, locale, path, shownFile);
      list.push(...documentPassages(document, { path, url, prefix: locale, maxChars: settings.maxPassageChars }));
    }
    passages[locale] = list;
  }
  for (const locale of locales) {
    if ((passages[locale]?.length ?? 0) === 0) errors.push(`${shownRoot}/${locale}/: no documents for locale "${locale}" (the bot declares ${locales.join(", ")})`);
  }
  if (errors.length > 0) return { errors };
  const indexes: Partial<Record<Locale, KnowledgeIndexData>> = {};
  for (const locale of locales) indexes[locale] = buildKnowledgeIndex(passages[locale] ?? [], locale);
  return { knowledge: { passages, indexes }, errors };
}
