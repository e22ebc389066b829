/**
 * Reads an HTML help page into sections, without a DOM (the same code runs in Node and workerd):
 * the page's `<main>` or `<article>` if it has one, else its `<body>`; site chrome (`nav`, `header`,
 * `footer`, `aside`), scripts, styles and forms dropped; `h1`–`h6` start sections (their `id`, else
 * their slug, is the anchor); block elements end lines, list items become `- item`, table cells
 * `cell | cell`; entities decoded. The title is the first `<h1>`, else `<title>`; a
 * `<link rel="canonical">` is the page's link.
 */
import { AnchorNamer, slugify, tidyText, type DocumentSection, type ParsedDocument } from "./document.ts";

const DROPPED = ["script", "style", "nav", "header", "footer", "aside", "noscript", "svg", "form", "template", "iframe"];
const BLOCKS = new Set([
  "p", "div", "section", "article", "main", "ul", "ol", "table", "thead", "tbody", "tr", "br", "hr", "pre",
  "blockquote", "dl", "dt", "dd", "figure", "figcaption", "details", "summary", "address",
]);

const ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", ndash: "–", mdash: "—", hellip: "…", rsquo: "’",
  lsquo: "‘", ldquo: "“", rdquo: "”", copy: "©", reg: "®", trade: "™", euro: "€", pound: "£", yen: "¥", middot: "·",
  times: "×", deg: "°", laquo: "«", raquo: "»", iexcl: "¡", iquest: "¿", bull: "•",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const attribute = (attributes: string, name: string): string | undefined =>
  new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(attributes)?.slice(1).find((value) => value !== undefined);

/** Text of an HTML fragment with its tags removed. */
const textOf = (html: string): string => decodeEntities(html.replace(/<[^>]*>/g, " ")).replace(/\s+/g, " ").trim();

export function parseHtml(source: string, fallbackTitle: string): ParsedDocument {
  let html = source.replace(/\r\n?/g, "\n").replace(/<!--[\s\S]*?-->/g, "");
  const pageTitle = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const canonical = [...html.matchAll(/<link\b([^>]*)>/gi)]
    .map(([, attributes]) => attributes ?? "")
    .find((attributes) => /\brel\s*=\s*["']?canonical/i.test(attributes));
  for (const tag of DROPPED) html = html.replace(new RegExp(`<${tag}\\b[\\s\\S]*?<\\/${tag}\\s*>`, "gi"), " ");
  const content = /<(main|article)\b[^>]*>([\s\S]*)<\/\1\s*>/i.exec(html)?.[2] ?? /<body\b[^>]*>([\s\S]*)<\/body\s*>/i.exec(html)?.[1] ?? html.replace(/<head\b[\s\S]*?<\/head\s*>/i, "");

  const anchors = new AnchorNamer();
  const sections: DocumentSection[] = [];
  const open: Array<[number, string]> = [];
  let title: string | undefined;
  let current: DocumentSection = { headings: [], anchor: "", text: "" };
  const closeSection = (): void => {
    const text = tidyText(current.text);
    if (text !== "") sections.push({ ...current, text });
  };

  // Headings split the content; the text between two headings is a section's.
  const headingPattern = /<h([1-6])\b([^>]*)>([\s\S]*?)<\/h\1\s*>/gi;
  let last = 0;
  for (const match of content.matchAll(headingPattern)) {
    current.text += blockText(content.slice(last, match.index));
    last = match.index + match[0].length;
    const level = Number(match[1]);
    const heading = textOf(match[3] ?? "");
    if (heading === "") continue;
    closeSection();
    if (level === 1 && title === undefined) {
      title = heading;
      open.length = 0;
      current = { headings: [], anchor: "", text: "" };
      continue;
    }
    while (open.length > 0 && (open[open.length - 1]?.[0] ?? 0) >= level) open.pop();
    open.push([level, heading]);
    const id = attribute(match[2] ?? "", "id");
    current = { headings: open.map(([, text]) => text), anchor: anchors.name(id ?? slugify(heading)), text: "" };
  }
  current.text += blockText(content.slice(last));
  closeSection();
  const url = canonical === undefined ? undefined : attribute(canonical, "href");
  return { title: title ?? (pageTitle === undefined ? undefined : textOf(pageTitle)) ?? fallbackTitle, url: url ? decodeEntities(url) : undefined, sections };
}

/** A fragment without headings to plain text: blocks end lines, list items and table cells marked. */
function blockText(html: string): string {
  const pre: string[] = [];
  // Preformatted text keeps its lines.
  const withoutPre = html.replace(/<pre\b[^>]*>([\s\S]*?)<\/pre\s*>/gi, (_, inner: string) => {
    pre.push(decodeEntities(inner.replace(/<[^>]*>/g, "")));
    return `\n\u0000${pre.length - 1}\u0000\n`;
  });
  const text = withoutPre
    .replace(/\s+/g, " ")
    .replace(/<li\b[^>]*>/gi, "\n- ")
    .replace(/<\/(td|th)\s*>\s*(?=<(td|th)\b)/gi, " | ")
    .replace(/<\/?([a-z0-9]+)\b[^>]*>/gi, (tag, name: string) => (BLOCKS.has(name.toLowerCase()) ? "\n" : tag.startsWith("</") ? "" : ""))
    .replace(/\n[ \t]+/g, "\n");
  return `\n${decodeEntities(text).replace(/\u0000(\d+)\u0000/g, (_, i: string) => pre[Number(i)] ?? "")}\n`;
}
