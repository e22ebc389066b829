/**
 * Retrieval test sets in the format of ../shared/data/knowledge/README.md: a folder with
 * `passages.jsonl` ({ id, title, text, source?, doc?, locale? }) and `questions.jsonl`
 * ({ id, question, relevant: [passage ids], locale? }). Read in place, never copied.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { LocaleSchema } from "../shared/schemas/nlu.ts";

/** The public sets: ../shared/data/knowledge/<name>/. */
export const PUBLIC_KNOWLEDGE_DIR = resolve(import.meta.dirname, "..", "..", "shared", "data", "knowledge");
export const PUBLIC_SETS = ["medquad", "cmrc2018", "stackfaq"] as const;

const PassageRowSchema = z.looseObject({
  id: z.string().min(1),
  title: z.string(),
  text: z.string(),
  source: z.string().optional(),
  doc: z.string().optional(),
  /** The bots' own sets say each passage's language; the public sets are one language each. */
  locale: LocaleSchema.optional(),
});
export type PassageRow = z.infer<typeof PassageRowSchema>;

const QuestionRowSchema = z.looseObject({
  id: z.string().min(1),
  question: z.string().min(1),
  relevant: z.array(z.string().min(1)).min(1),
  locale: LocaleSchema.optional(),
});
export type QuestionRow = z.infer<typeof QuestionRowSchema>;

export interface RetrievalSet {
  name: string;
  dir: string;
  passages: PassageRow[];
  questions: QuestionRow[];
}

/** The folder holds both files. */
export function setAvailable(dir: string): boolean {
  return existsSync(join(dir, "passages.jsonl")) && existsSync(join(dir, "questions.jsonl"));
}

function readJsonl<T>(file: string, schema: z.ZodType<T>): T[] {
  const rows: T[] = [];
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (line.trim() === "") return;
      const parsed = schema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
      rows.push(parsed.data);
    });
  return rows;
}

/** Reads a set; throws naming the file and line of a bad row or a relevant id no passage has. */
export function readRetrievalSet(dir: string, name = dir.split(/[\\/]/).filter(Boolean).pop() ?? dir): RetrievalSet {
  const passages = readJsonl(join(dir, "passages.jsonl"), PassageRowSchema);
  const questions = readJsonl(join(dir, "questions.jsonl"), QuestionRowSchema);
  const ids = new Set(passages.map((passage) => passage.id));
  for (const question of questions) {
    const missing = question.relevant.filter((id) => !ids.has(id));
    if (missing.length > 0) throw new Error(`${join(dir, "questions.jsonl")}: question ${question.id}: no passage ${missing.join(", ")}`);
  }
  return { name, dir, passages, questions };
}
