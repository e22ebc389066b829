/**
 * A parsed document's sections as retrievable passages. Each passage keeps its heading path as its
 * title (`Shipping › Delivery times`), so a question about "delivery times" finds the section even
 * when its text never says so. A section longer than `maxChars` is cut at paragraph ends (at
 * sentence ends inside a paragraph that is itself too long) into parts that keep the same title
 * and link.
 */
import type { KnowledgePassage } from "../schemas/knowledge.ts";
import type { ParsedDocument } from "./document.ts";

export const TITLE_SEPARATOR = " › ";

export interface PassageOptions {
  /** The document's path inside its locale folder, without extension (`shipping`, `orders/tracking`). */
  path: string;
  /** The document's link, without a section anchor. */
  url: string;
  /** Id prefix: the locale (`en`). */
  prefix: string;
  maxChars: number;
}

export function documentPassages(document: ParsedDocument, options: PassageOptions): KnowledgePassage[] {
  const passages: KnowledgePassage[] = [];
  for (const section of document.sections) {
    const title = [document.title, ...section.headings].join(TITLE_SEPARATOR);
    const url = section.anchor === "" ? options.url : `${options.url}#${section.anchor}`;
    const baseId = `${options.prefix}/${options.path}${section.anchor === "" ? "" : `#${section.anchor}`}`;
    splitText(section.text, options.maxChars).forEach((text, part) => {
      passages.push({ id: part === 0 ? baseId : `${baseId}~${part + 1}`, title, text, url, doc: `${options.prefix}/${options.path}` });
    });
  }
  return passages;
}

/** Sentence ends in Latin and Chinese punctuation (the break goes after the mark). */
const SENTENCE_END = /(?<=[.!?。！？；])\s*/u;

/** Text in parts of at most about `maxChars`, at paragraph ends, else at sentence ends, else hard. */
export function splitText(text: string, maxChars: number): string[] {
  if (text.length <= maxChars) return [text];
  const pieces = text.split(/\n{2,}/).flatMap((paragraph) => (paragraph.length <= maxChars ? [paragraph] : sentencePieces(paragraph, maxChars)));
  const parts: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const joined = current === "" ? piece : `${current}\n\n${piece}`;
    if (joined.length <= maxChars || current === "") current = joined;
    else {
      parts.push(current);
      current = piece;
    }
  }
  if (current !== "") parts.push(current);
  return parts;
}

function sentencePieces(paragraph: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const sentence of paragraph.split(SENTENCE_END).filter((s) => s !== "")) {
    const separator = current === "" || /[\p{Script=Han}]$/u.test(current) ? "" : " ";
    if (current !== "" && current.length + separator.length + sentence.length > maxChars) {
      pieces.push(current);
      current = sentence;
    } else current += separator + sentence;
    while (current.length > maxChars) {
      pieces.push(current.slice(0, maxChars));
      current = current.slice(maxChars);
    }
  }
  if (current !== "") pieces.push(current);
  return pieces;
}

/**
 * The passage as a reply: whole if it fits in `maxChars`, else its first paragraphs or sentences
 * up to about `maxChars`, ending with "…".
 */
export function quotePassage(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const first = splitText(text, maxChars)[0] ?? text.slice(0, maxChars);
  return `${first.replace(/[\s,;:，；：]+$/u, "")}…`;
}
