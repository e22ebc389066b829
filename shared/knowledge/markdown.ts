/**
 * Reads a Markdown help page into sections: ATX (`## Heading {#id}`) and setext headings, YAML-ish
 * front matter (`title:`, `url:`), fenced code kept verbatim (a `#` inside is no heading). Inline
 * markup is reduced to its text: links and images to their text, emphasis and code marks dropped,
 * HTML tags removed, table rows to `cell | cell`. The first level-1 heading is the document's title
 * unless the front matter gives one.
 */
import { AnchorNamer, slugify, tidyText, type DocumentSection, type ParsedDocument } from "./document.ts";

const ATX = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const EXPLICIT_ID = /\s*\{#([^}\s]+)\}\s*$/;

export function parseMarkdown(source: string, fallbackTitle: string): ParsedDocument {
  const { meta, body } = frontMatter(source.replace(/\r\n?/g, "\n"));
  const lines = body.split("\n");
  const anchors = new AnchorNamer();
  const sections: DocumentSection[] = [];
  let title: string | undefined;
  let pageHeadingSeen = false;
  /** Headings open above the current line: [level, text]. */
  const open: Array<[number, string]> = [];
  let current: { headings: string[]; anchor: string; lines: string[] } = { headings: [], anchor: "", lines: [] };
  let fence: string | undefined;

  const closeSection = (): void => {
    const text = tidyText(joinParagraphLines(current.lines));
    if (text !== "") sections.push({ headings: current.headings, anchor: current.anchor, text });
  };
  const startSection = (level: number, raw: string): void => {
    const explicit = EXPLICIT_ID.exec(raw);
    const heading = inlineText(explicit ? raw.slice(0, explicit.index) : raw);
    closeSection();
    if (level === 1 && !pageHeadingSeen) {
      // The page's heading (its title unless the front matter names one): what follows it, up to
      // the first subheading, is its introduction.
      pageHeadingSeen = true;
      title = heading;
      open.length = 0;
      current = { headings: [], anchor: "", lines: [] };
      return;
    }
    while (open.length > 0 && (open[open.length - 1]?.[0] ?? 0) >= level) open.pop();
    open.push([level, heading]);
    current = { headings: open.map(([, text]) => text), anchor: anchors.name(explicit?.[1] ?? slugify(heading)), lines: [] };
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const fenceMark = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceMark !== undefined && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined;
      else current.lines.push(line);
      continue;
    }
    if (fenceMark !== undefined) {
      fence = fenceMark;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      startSection(atx[1]?.length ?? 1, atx[2] ?? "");
      continue;
    }
    // Setext: a paragraph line underlined with === (level 1) or --- (level 2).
    const next = lines[i + 1] ?? "";
    if (line.trim() !== "" && /^ {0,3}(=+|-+)[ \t]*$/.test(next) && !/^\s*([-*+]|\d+[.)])\s/.test(line) && (lines[i - 1] ?? "").trim() === "") {
      startSection(next.trim().startsWith("=") ? 1 : 2, line.trim());
      i++;
      continue;
    }
    const text = blockLine(line);
    if (text !== undefined) current.lines.push(text);
  }
  closeSection();
  return { title: meta.title ?? title ?? fallbackTitle, url: meta.url, sections };
}

/** A paragraph's lines are one line of text (Markdown's soft breaks); list items and table rows stay lines of their own. */
function joinParagraphLines(lines: readonly string[]): string {
  const out: string[] = [];
  let joinable = false;
  for (const line of lines) {
    const own = line === "" || /^(-|\d+[.)]) /.test(line) || line.includes(" | ");
    if (!own && joinable && out.length > 0) out[out.length - 1] += ` ${line}`;
    else out.push(line);
    joinable = !own || (joinable && !own);
    if (own) joinable = false;
  }
  return out.join("\n");
}

/** `---\ntitle: …\nurl: …\n---` at the very start: its simple `key: value` lines. */
function frontMatter(source: string): { meta: { title?: string; url?: string }; body: string } {
  const match = /^---\n([\s\S]*?)\n---[ \t]*(?:\n|$)/.exec(source);
  if (!match) return { meta: {}, body: source };
  const meta: { title?: string; url?: string } = {};
  for (const line of (match[1] ?? "").split("\n")) {
    const field = /^(title|url)\s*:\s*(.*?)\s*$/.exec(line);
    if (!field) continue;
    const value = (field[2] ?? "").replace(/^(["'])(.*)\1$/, "$2");
    if (value !== "") meta[field[1] as "title" | "url"] = value;
  }
  return { meta, body: source.slice(match[0].length) };
}

/** One line of a block: list markers normalised, quotes unwrapped, table rows as `cell | cell`; undefined: no text (a rule). */
function blockLine(line: string): string | undefined {
  const stripped = line.replace(/^\s{0,3}>\s?/, "");
  if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(stripped)) return undefined; // table separator row
  if (/^\s*\|.*\|\s*$/.test(stripped)) {
    return stripped
      .trim()
      .slice(1, -1)
      .split("|")
      .map((cell) => inlineText(cell))
      .join(" | ");
  }
  if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(stripped)) return undefined; // thematic break
  const item = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/.exec(stripped);
  if (item) return `${/\d/.test(item[2] ?? "") ? item[2] : "-"} ${inlineText(item[3] ?? "")}`;
  return inlineText(stripped);
}

/** Inline Markdown to its text. */
export function inlineText(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, "$1")
    .replace(/<(https?:\/\/[^>\s]+)>/g, "$1")
    .replace(/<\/?[A-Za-z][^>]*>/g, "")
    .replace(/`+([^`]*)`+/g, "$1")
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, "$2")
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*]*?\S)\*/gu, "$1$2")
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}])/gu, "$1$2")
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, "$1")
    .replace(/\\([\\`*_{}[\]()#+\-.!|~<>])/g, "$1")
    .trim();
}
