// A bot's documents (`knowledge:` in bot.yaml, docs/knowledge.md) from their text: splits them into
// passages and indexes each locale. The folder reader (devkit/bots/knowledge.ts, for `npm run
// validate` and `npm run build:bots`) and a published bot document (PUT /v1/bots/{bot}, whose
// `knowledge:` holds the same files by path) both index through here, so both report the same
// problems, as lines naming the file.
import { buildKnowledgeIndex } from "../knowledge/build-index.ts";
import type { ParsedDocument } from "../knowledge/document.ts";
import { parseHtml } from "../knowledge/html.ts";
import { parseMarkdown } from "../knowledge/markdown.ts";
import { documentPassages } from "../knowledge/passages.ts";
import { isLocale, type Locale } from "../languages/index.ts";
import type { KnowledgeIndexData, KnowledgePassage, KnowledgeSettings } from "../schemas/knowledge.ts";

/** `text` without the slashes it ends with, in one pass from the end (a regex `/\/+$/` is tried at every position: quadratic). */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === "/") end--;
  return text.slice(0, end);
}

/** The documents' file names: Markdown and HTML. */
export const KNOWLEDGE_FILE = /\.(?:md|markdown|html?)$/i;

export interface BotKnowledge {
  /** Every passage per locale, in file order. */
  passages: Partial<Record<Locale, KnowledgePassage[]>>;
  /** The precomputed index per locale (what generated/knowledge.json holds). */
  indexes: Partial<Record<Locale, KnowledgeIndexData>>;
}

/**
 * The knowledge folder's content: its top-level folders (each should be a locale of the bot) and
 * the documents under them by path inside the folder, `/`-separated (`en/shipping.md`).
 */
export interface KnowledgeFiles {
  folders: readonly string[];
  files: Readonly<Record<string, string>>;
}

/** The link of a document: its own, else `<baseUrl>/<locale>/<path>`, else its path in the bot's folder. */
function documentUrl(document: ParsedDocument, settings: KnowledgeSettings, locale: Locale, path: string, fileInBot: string): string {
  if (document.url !== undefined) return document.url;
  if (settings.baseUrl !== undefined) return `${withoutTrailingSlashes(settings.baseUrl)}/${locale}/${path.split("/").map(encodeURIComponent).join("/")}`;
  return fileInBot;
}

/** Paths in the order a folder walk reads them: each level's names sorted, folders expanded in place. */
function walkOrder(a: string, b: string): number {
  const left = a.split("/");
  const right = b.split("/");
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const [x, y] = [left[i] ?? "", right[i] ?? ""];
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

/**
 * Splits and indexes the bot's documents. `shownDir` is how problems name the bot's folder
 * (`bots/ecommerce`). Every locale the bot speaks needs documents; folders of other names are refused.
 */
export function indexBotKnowledge(content: KnowledgeFiles, shownDir: string, settings: KnowledgeSettings, locales: readonly Locale[]): { knowledge?: BotKnowledge; errors: string[] } {
  const shownRoot = withoutTrailingSlashes(`${shownDir}/${settings.folder}`);
  const errors: string[] = [];
  const passages: Partial<Record<Locale, KnowledgePassage[]>> = {};
  const paths = Object.keys(content.files).sort(walkOrder);
  for (const name of [...content.folders].sort()) {
    if (name.startsWith(".") || name.startsWith("_")) continue;
    if (!isLocale(name) || !locales.includes(name)) {
      errors.push(`${shownRoot}/${name}/: not a locale of the bot (documents go in ${locales.map((locale) => `${settings.folder}/${locale}/`).join(", ")})`);
      continue;
    }
    const locale = name;
    const list: KnowledgePassage[] = [];
    const pages = new Map<string, string>();
    for (const file of paths.filter((path) => path.startsWith(`${locale}/`))) {
      const shownFile = `${shownRoot}/${file}`;
      const path = file.slice(locale.length + 1).replace(/\.[^./]+$/, "");
      const clash = pages.get(path);
      if (clash !== undefined) {
        errors.push(`${shownFile}: same page as ${clash} (${locale}/${path}): keep one of them`);
        continue;
      }
      pages.set(path, shownFile);
      const source = content.files[file] ?? "";
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
