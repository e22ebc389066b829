/** A help document as the splitters read it: its title, its own link if it names one, its sections. */
export interface DocumentSection {
  /** The headings above the section's text, outermost first, without the document's title. */
  headings: string[];
  /** The section's anchor (`delivery-times`), "" for the text before the first heading. */
  anchor: string;
  /** Plain text: paragraphs separated by a blank line, list items and table rows one per line. */
  text: string;
}

export interface ParsedDocument {
  title: string;
  /** From front matter `url:` (Markdown) or `<link rel="canonical">` (HTML). */
  url?: string | undefined;
  sections: DocumentSection[];
}

/**
 * A heading's anchor as GitHub and most static-site generators make it: lowercase, punctuation
 * dropped, spaces to hyphens; letters of every script kept ("退货政策" stays as it is).
 */
export function slugify(heading: string): string {
  return heading
    .normalize("NFKC")
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Gives repeated anchors in one document a number, as GitHub does (`faq`, `faq-1`, `faq-2`). */
export class AnchorNamer {
  readonly #seen = new Map<string, number>();

  name(slug: string): string {
    const count = this.#seen.get(slug) ?? 0;
    this.#seen.set(slug, count + 1);
    return count === 0 ? slug : `${slug}-${count}`;
  }
}

/** Collapses runs of spaces inside lines and of blank lines, and trims. */
export function tidyText(text: string): string {
  return text
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
