/**
 * Answers from documents (docs/knowledge.md): a bot's `knowledge:` settings in bot.yaml, the
 * source a reply quotes, and the index `npm run build:bots` precomputes into
 * `generated/knowledge.json` for the dialogue Worker.
 *
 * Relative imports carry `.ts` so Node-run CLIs (type stripping, no bundler) can load this file.
 */
import { z } from "zod";
import { LocaleSchema, localeMap } from "./nlu.ts";

/** A document a reply was drawn from, for the client to show and link. */
export const ReplySourceSchema = z.object({
  title: z.string().min(1).max(300),
  url: z.string().min(1).max(2000),
});
export type ReplySource = z.infer<typeof ReplySourceSchema>;

/** A folder name inside the bot's folder: no absolute paths, no `..`. */
const FolderSchema = z
  .string()
  .min(1)
  .refine((folder) => !/^([\\/]|[A-Za-z]:)/.test(folder) && !folder.split(/[\\/]/).includes(".."), "a folder inside the bot's folder (no absolute path, no ..)");

/**
 * The default confidence to answer from documents: on the bots' own sets (bench/results/knowledge.md)
 * it lets about three in four right answers through and none of the unrelated questions.
 */
export const KNOWLEDGE_DEFAULT_THRESHOLD = 0.45;

/** 0–1, one for every locale or one per locale (a locale left out gets the default). */
const ThresholdSchema = z.union([z.number().min(0).max(1), localeMap(z.number().min(0).max(1))]);

/** `knowledge:` in bot.yaml. */
export const KnowledgeSettingsSchema = z
  .object({
    /** Documents (Markdown `.md`, HTML `.html`/`.htm`) in `<folder>/<locale>/…`, relative to the bot's folder. */
    folder: FolderSchema,
    /**
     * Where the documents are published: a passage links to `<baseUrl>/<locale>/<path without extension>#<section>`.
     * A document's front matter `url:` (Markdown) or `<link rel="canonical">` (HTML) overrides it. Without either,
     * the link is the document's path in the bot's folder.
     */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Minimum confidence (0–1: the share of the question, weighted by rarity, that the passage contains) to answer. */
    threshold: ThresholdSchema.default(KNOWLEDGE_DEFAULT_THRESHOLD),
    /** Sections longer than this (characters) are split into several passages at paragraph boundaries. */
    maxPassageChars: z.number().int().min(200).max(4000).default(1200),
    /** A quoted answer is cut to about this many characters, at a sentence end where possible. */
    quoteChars: z.number().int().min(80).max(2000).default(500),
    /** With the LLM on: how many of the best passages ground its answer. */
    llmPassages: z.number().int().min(1).max(8).default(3),
    /**
     * Add "Source: <title> — <link>" to the reply's text, for clients that do not yet render a
     * reply's `sources`. Turn it off once every client shows `sources` itself.
     */
    citeInText: z.boolean().default(true),
  })
  .strict();
export type KnowledgeSettings = z.output<typeof KnowledgeSettingsSchema>;

/** One retrievable passage: a section (or part of one) of a document. */
export const KnowledgePassageSchema = z.object({
  /** `<locale>/<path without extension>#<section slug>` (`-2`, `-3` … for the parts of a long section). */
  id: z.string().min(1),
  /** The document's title and the section's headings: `Shipping › Delivery times`. */
  title: z.string(),
  text: z.string(),
  url: z.string().min(1),
  /** The document it comes from (its path in the folder). */
  doc: z.string().min(1),
});
export type KnowledgePassage = z.infer<typeof KnowledgePassageSchema>;

/**
 * One locale's precomputed index. `terms` is the vocabulary; `postings[i]` lists, for `terms[i]`,
 * flat quadruples (passage number, count in the document title, count in the section headings,
 * count in the text). Lengths are in terms.
 */
export const KnowledgeIndexDataSchema = z.object({
  locale: LocaleSchema,
  passages: z.array(KnowledgePassageSchema),
  terms: z.array(z.string()),
  postings: z.array(z.array(z.number().int().nonnegative())),
  /** Of the document's title (the first part of a passage's title). */
  documentTitleLengths: z.array(z.number().int().nonnegative()),
  /** Of the section's headings (the rest of its title; none for a page's introduction). */
  headingLengths: z.array(z.number().int().nonnegative()),
  textLengths: z.array(z.number().int().nonnegative()),
});
export type KnowledgeIndexData = z.infer<typeof KnowledgeIndexDataSchema>;

/** `generated/knowledge.json`: per bot (with `knowledge:`), per locale. */
export const CompiledKnowledgeSchema = z.object({
  v: z.literal(1),
  bots: z.record(z.string(), localeMap(KnowledgeIndexDataSchema)),
});
export type CompiledKnowledge = z.infer<typeof CompiledKnowledgeSchema>;
