import { localeEntries } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { type AnnotatedSpan, parseAnnotatedExample, type TrainingData } from "../../../../shared/schemas/training.ts";

/** One training example after annotations are stripped. */
export interface Example {
  text: string;
  intent: string;
  locale: Locale;
  spans: AnnotatedSpan[];
}

/** Every example of the training data: intents sorted by name, locales in the registry's order. */
export function collectExamples(data: TrainingData): Example[] {
  const examples: Example[] = [];
  for (const intent of Object.keys(data.intents).sort()) {
    for (const [locale, raws] of localeEntries(data.intents[intent] ?? {})) {
      for (const raw of raws) {
        const { text, spans } = parseAnnotatedExample(raw);
        examples.push({ text, intent, locale, spans });
      }
    }
  }
  return examples;
}
