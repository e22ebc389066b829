/**
 * `node bench/free-words-loo.ts`
 *
 * Free-words answers (workers/dialogue/src/engine/free-words.ts) measured on the example bots' own
 * slot examples, leave-one-out: each example is read as an answer to its slot with it left out of
 * the slot's index, and judged at the slot's levels. Per locale: how many were taken (and how many of
 * those rightly), checked with "That sounds like …?" (rightly), or not understood. What the
 * free-words settings were checked on; the held-out dialogue set is not read.
 */
import { fileURLToPath } from "node:url";
import type { SlotDefinition } from "../shared/schemas/bot.ts";
import { loadBots } from "../devkit/bots/load-bots.ts";
import { buildSlotCategories, judgeFreeWords, matchCategories } from "../workers/dialogue/src/engine/free-words.ts";

interface Tally {
  answers: number;
  taken: number;
  takenRight: number;
  checked: number;
  checkedRight: number;
  notUnderstood: number;
}

const root = fileURLToPath(new URL("..", import.meta.url));
const { bots, errors } = loadBots(root);
if (errors.length > 0) throw new Error(errors.join("\n"));
const byLocale = new Map<string, Tally>();
for (const bot of bots) {
  for (const slot of Object.values(bot.definition.slots)) {
    if (slot.type !== "enum" || slot.examples === undefined) continue;
    for (const locale of bot.definition.locales) {
      for (const value of slot.values ?? []) {
        for (const example of slot.examples[value]?.[locale] ?? []) {
          const without: SlotDefinition = {
            ...slot,
            examples: { ...slot.examples, [value]: { ...slot.examples[value], [locale]: (slot.examples[value]?.[locale] ?? []).filter((other) => other !== example) } },
          };
          const categories = buildSlotCategories({ ...bot.definition, slots: { answer: without } }).answer;
          if (!categories) continue;
          const judged = judgeFreeWords(without, matchCategories(categories, example, locale, bot.definition.defaultLocale));
          const tally = byLocale.get(locale) ?? { answers: 0, taken: 0, takenRight: 0, checked: 0, checkedRight: 0, notUnderstood: 0 };
          byLocale.set(locale, tally);
          tally.answers++;
          if (judged === undefined) tally.notUnderstood++;
          else if (judged.kind === "accept") {
            tally.taken++;
            if (judged.value === value) tally.takenRight++;
          } else {
            tally.checked++;
            if (judged.value === value) tally.checkedRight++;
          }
        }
      }
    }
  }
}
console.table(
  [...byLocale].map(([locale, t]) => ({
    locale,
    answers: t.answers,
    "taken (right)": `${t.taken} (${t.takenRight})`,
    "checked (right)": `${t.checked} (${t.checkedRight})`,
    "not understood": t.notUnderstood,
  })),
);
