/**
 * Relative links in the project's Markdown (README.md and docs/), checked the way GitHub renders
 * them: a link's file must exist, and a `#fragment` must name a heading of the target page (GitHub's
 * slug rules, with `-1`, `-2` … for repeated headings, via github-slugger) or an `<a id|name>` in it;
 * `#L12` / `#L12-L20` on any other file must be lines it has. Links inside code are not links, so the
 * Markdown is parsed (marked's lexer), not searched with a pattern.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, join, relative, resolve, sep } from "node:path";
import GithubSlugger from "github-slugger";
import { Lexer, marked, type Token } from "marked";

/** A link that does not resolve: where it is (file relative to the root, 1-based line) and why. */
export interface BrokenLink {
  readonly file: string;
  readonly line: number;
  readonly href: string;
  readonly problem: string;
}

/** README.md and every Markdown file under docs/, relative to `root`, sorted. */
export function projectMarkdownFiles(root: string): string[] {
  const files = existsSync(join(root, "README.md")) ? ["README.md"] : [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".md")) files.push(path.split(sep).join("/"));
    }
  };
  if (existsSync(join(root, "docs"))) walk("docs");
  return files.toSorted();
}

interface ParsedPage {
  readonly anchors: ReadonlySet<string>;
  readonly hrefs: readonly string[];
}

const HTML_ANCHOR = /<a\s[^>]*?\b(?:id|name)\s*=\s*["']([^"']+)["']/gi;
const HTML_LINK = /<(?:a|img)\s[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']/gi;

// marked's Token union includes a generic token whose fields are `any`: read them as unknown.
function field(token: Token, name: "text" | "href"): string {
  const value: unknown = (token as unknown as Record<string, unknown>)[name];
  return typeof value === "string" ? value : "";
}

function children(token: Token): Token[] {
  const value: unknown = (token as unknown as Record<string, unknown>)["tokens"];
  return Array.isArray(value) ? (value as Token[]) : [];
}

/** The text GitHub slugs a heading from: what it shows, without markup, code marks or link targets. */
function headingText(tokens: readonly Token[]): string {
  return tokens
    .map((token): string => {
      if (token.type === "html") return "";
      if (token.type === "codespan" || token.type === "escape") return field(token, "text");
      const inner = children(token);
      return inner.length > 0 ? headingText(inner) : field(token, "text");
    })
    .join("");
}

function parsePage(markdown: string): ParsedPage {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  const hrefs: string[] = [];
  // The callback is synchronous, so the returned array holds no promise.
  void marked.walkTokens(tokens, (token) => {
    if (token.type === "heading") anchors.add(slugger.slug(headingText(children(token))));
    else if (token.type === "link" || token.type === "image") hrefs.push(field(token, "href"));
    else if (token.type === "html") {
      const html = field(token, "text");
      for (const match of html.matchAll(HTML_ANCHOR)) anchors.add(match[1] ?? "");
      for (const match of html.matchAll(HTML_LINK)) hrefs.push(match[1] ?? "");
    }
  });
  return { anchors, hrefs };
}

/** A scheme (`https:`, `mailto:`) or `//host`: not a file of this repository. */
const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i;
const LINE_ANCHOR = /^L(\d+)(?:-L(\d+))?$/;

/** The line of `href`'s next occurrence after `from` (links come in document order), 0 if not found. */
function locate(markdown: string, href: string, from: number): { line: number; at: number } {
  const at = markdown.indexOf(href, from);
  if (at < 0) return from === 0 ? { line: 0, at: 0 } : locate(markdown, href, 0);
  return { line: markdown.slice(0, at).split("\n").length, at: at + href.length };
}

/** Every relative link of `files` (relative to `root`) that does not resolve. */
export function brokenLinks(root: string, files: readonly string[]): BrokenLink[] {
  const pages = new Map<string, ParsedPage>();
  const page = (absolute: string): ParsedPage => {
    let parsed = pages.get(absolute);
    if (parsed === undefined) {
      parsed = parsePage(readFileSync(absolute, "utf8"));
      pages.set(absolute, parsed);
    }
    return parsed;
  };
  const broken: BrokenLink[] = [];
  for (const file of files) {
    const source = join(root, file);
    const markdown = readFileSync(source, "utf8");
    const searchFrom = new Map<string, number>();
    for (const href of page(source).hrefs) {
      if (href === "" || EXTERNAL.test(href)) continue;
      const found = locate(markdown, href, searchFrom.get(href) ?? 0);
      searchFrom.set(href, found.at);
      const report = (problem: string): void => {
        broken.push({ file, line: found.line, href, problem });
      };
      const hashAt = href.indexOf("#");
      const pathPart = (hashAt < 0 ? href : href.slice(0, hashAt)).replace(/\?.*$/, "");
      const fragment = hashAt < 0 ? undefined : href.slice(hashAt + 1);
      let path: string;
      let anchor: string | undefined;
      try {
        path = decodeURIComponent(pathPart);
        anchor = fragment === undefined ? undefined : decodeURIComponent(fragment);
      } catch {
        report("not a valid URL encoding");
        continue;
      }
      const target = path === "" ? source : path.startsWith("/") ? join(root, path) : resolve(dirname(source), path);
      if (relative(root, target).startsWith("..")) {
        report("points outside the repository");
        continue;
      }
      if (!existsSync(target)) {
        report(`no such file: ${relative(root, target).split(sep).join("/")}`);
        continue;
      }
      if (anchor === undefined || anchor === "") continue;
      if (statSync(target).isDirectory()) report("an anchor on a folder");
      else if (extname(target).toLowerCase() === ".md") {
        if (!page(target).anchors.has(anchor)) report(`no heading or anchor "${anchor}" in ${relative(root, target).split(sep).join("/")}`);
      } else {
        const lines = LINE_ANCHOR.exec(anchor);
        if (lines === null) report("an anchor on a file that is not Markdown (only #L<n> or #L<n>-L<m> resolve)");
        else {
          const count = readFileSync(target, "utf8").split("\n").length;
          const last = Number(lines[2] ?? lines[1]);
          if (Number(lines[1]) < 1 || last > count) report(`line ${last} is past the end of the file (${count} lines)`);
        }
      }
    }
  }
  return broken;
}
