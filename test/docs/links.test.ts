// Every relative link in README.md and docs/ resolves: the file exists, and a #fragment names a
// heading (GitHub's slugs) or an <a id> of the target page, or lines a file has. Parsed, not grepped,
// so links in code blocks are not links. Fast: Node only, no workerd.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { brokenLinks, projectMarkdownFiles } from "../../devkit/markdown-links.ts";

const root = resolve(import.meta.dirname, "../..");

describe("the project's Markdown links", () => {
  it("README.md and every page under docs/ are checked", () => {
    const files = projectMarkdownFiles(root);
    expect(files).toContain("README.md");
    expect(files).toContain("docs/architecture.md");
    expect(files.length).toBeGreaterThan(15);
  });

  it("every relative link in README.md and docs/ resolves, anchors included", () => {
    const broken = brokenLinks(root, projectMarkdownFiles(root));
    expect(broken.map((link) => `${link.file}:${link.line}: ${link.href} — ${link.problem}`)).toEqual([]);
  });

  it("the README links every docs page", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const linked = new Set([...readme.matchAll(/\]\((docs\/[^)#\s]+)/g)].map((match) => match[1]));
    const pages = projectMarkdownFiles(root).filter((file) => file.startsWith("docs/"));
    expect(pages.filter((page) => !linked.has(page))).toEqual([]);
  });
});

describe("the link checker", () => {
  const fixture = mkdtempSync(join(tmpdir(), "stratus-links-"));
  afterAll(() => rmSync(fixture, { recursive: true, force: true }));
  const write = (path: string, text: string): void => {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  };
  write("notes.txt", "one\ntwo\nthree\n");
  write("docs/cli.md", "# The CLI\n");
  write(
    "docs/guide.md",
    [
      "# Guide",
      "## How a message flows, file by file",
      "## `npx stratus` and *the* [CLI](cli.md)",
      "## Setup",
      "## Setup",
      '<a id="old-anchor"></a>',
      "",
      "```yaml",
      "see [nothing](missing-in-code.md)",
      "```",
      "",
      "[self](#setup-1) [up](../README.md#readme) [lines](../notes.txt#L2-L3)",
    ].join("\n"),
  );
  write(
    "README.md",
    [
      "# Readme",
      "[ok](docs/guide.md#how-a-message-flows-file-by-file) [ok](docs/guide.md#npx-stratus-and-the-cli)",
      "[ok](docs/guide.md#old-anchor) [ok](/docs/guide.md) [web](https://example.com/x.md) <http://localhost:8787>",
      "[gone](docs/gone.md) [no heading](docs/guide.md#flow) [past the end](notes.txt#L9) [text anchor](notes.txt#top)",
      "[ref link][r] [gone again](docs/gone.md)",
      "",
      "[r]: docs/also-gone.md",
    ].join("\n"),
  );

  it("finds nothing wrong in good links, and ignores code, external URLs and autolinks", () => {
    const broken = brokenLinks(fixture, ["docs/guide.md"]);
    expect(broken).toEqual([]);
  });

  it("names each broken link with its file, line and reason", () => {
    const broken = brokenLinks(fixture, projectMarkdownFiles(fixture));
    expect(broken.map(({ file, line, href }) => `${file}:${line} ${href}`)).toEqual([
      "README.md:4 docs/gone.md",
      "README.md:4 docs/guide.md#flow",
      "README.md:4 notes.txt#L9",
      "README.md:4 notes.txt#top",
      "README.md:7 docs/also-gone.md", // a reference link: the line of its definition
      "README.md:5 docs/gone.md", // the same href again: its own line
    ]);
    expect(broken[0]?.problem).toBe("no such file: docs/gone.md");
    expect(broken[1]?.problem).toBe('no heading or anchor "flow" in docs/guide.md');
    expect(broken[2]?.problem).toContain("past the end");
  });
});
