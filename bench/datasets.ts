/** The public NLU benchmark data sets in ../shared/data/ (read in place, never copied into the repo). */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Locale } from "../shared/schemas/nlu.ts";

export const DATA_DIR = resolve(import.meta.dirname, "..", "..", "shared", "data");

export interface GoldEntity {
  entity: string;
  start: number;
  end: number;
}

export interface Row {
  text: string;
  intent: string;
  split: "train" | "val" | "test";
  entities: GoldEntity[];
}

export interface DatasetSpec {
  name: string;
  file: string;
  locale: Locale;
  /** Label of out-of-scope queries (CLINC150): scored as in-scope accuracy + oos recall. */
  oosLabel?: string;
  /** Score entity F1 (the data set has entity annotations). */
  entities: boolean;
  /** Another file whose entities are scored for this data set's entity F1 (HWU64 → its KFold_1 release). */
  entityFile?: string;
}

export const DATASETS: DatasetSpec[] = [
  { name: "clinc150", file: "clinc150.jsonl", locale: "en", oosLabel: "oos", entities: false },
  { name: "banking77", file: "banking77.jsonl", locale: "en", entities: false },
  { name: "hwu64", file: "hwu64.jsonl", locale: "en", entities: false, entityFile: "hwu64_kfold1.jsonl" },
  { name: "snips", file: "snips.jsonl", locale: "en", entities: true },
  { name: "atis", file: "atis.jsonl", locale: "en", entities: true },
  { name: "cais", file: "cais.jsonl", locale: "zh", entities: true },
];

export function datasetPath(file: string): string {
  return join(DATA_DIR, file);
}

export function datasetAvailable(file: string): boolean {
  return existsSync(datasetPath(file));
}

export function loadRows(file: string): Row[] {
  return readFileSync(datasetPath(file), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const raw = JSON.parse(line) as { text: string; intent: string; split: Row["split"]; entities?: GoldEntity[] };
      return {
        text: raw.text,
        intent: raw.intent,
        split: raw.split,
        entities: (raw.entities ?? []).map(({ entity, start, end }) => ({ entity, start, end })),
      };
    });
}

export function split(rows: Row[], name: Row["split"]): Row[] {
  return rows.filter((row) => row.split === name);
}
