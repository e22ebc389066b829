// Checks a bot's parsed files — bot.yaml, faq.yaml, nlu.yaml — against their schemas, the id, and
// the references between them (references.ts). Pure: `npm run validate` reads a folder into it
// (devkit/bots/load-bots.ts), and the gateway a published bot document (PUT /v1/bots/{bot}), so
// both report exactly the same problems, as `file: path: message` lines.
import { BotDefinitionSchema, type BotDefinition } from "../schemas/bot.ts";
import { TrainingDataSchema, type TrainingData } from "../schemas/training.ts";
import { formatIssuePath } from "../zod-issues.ts";
import { checkReferences } from "./references.ts";

/** One problem as the CLIs print it: `bots/ecommerce/bot.yaml: actions.lookup_order.timeoutMs: <message>`. */
export function formatIssue(file: string, path: ReadonlyArray<PropertyKey>, message: string): string {
  return `${file}: ${formatIssuePath(path)}: ${message}`;
}

/**
 * A bot's files as parsed YAML: bot.yaml, faq.yaml (undefined when the bot has none) and nlu.yaml
 * (undefined when it could not be read: the reader reports why, and the rest is still checked).
 */
export interface BotSources {
  bot: unknown;
  faq?: unknown;
  nlu?: unknown;
}

/** The names problems are reported under, e.g. `bots/shop/bot.yaml`. */
export interface BotSourceNames {
  bot: string;
  faq: string;
  nlu: string;
}

/** Problems are named as for a folder: `bots/<id>/bot.yaml: rules[2].response: …`. */
export const botFileNames = (id: string) => ({
  dir: `bots/${id}`,
  bot: `bots/${id}/bot.yaml`,
  faq: `bots/${id}/faq.yaml`,
  nlu: `bots/${id}/nlu.yaml`,
  test: (name: string) => `bots/${id}/tests/${name}.yaml`,
});

/**
 * A check that needs more than a Worker has, run after the references: `npm run validate` passes
 * the ReDoS analysis of the bot's regexes (devkit/bots/bot-regexes.ts, Node only).
 */
export type ExtraBotCheck = (sources: BotSources, names: BotSourceNames) => string[];

/**
 * Checks a bot's parsed files — schemas, the id, the references between them, and `extra` — and
 * returns the bot or every problem found.
 */
export function checkBot(id: string, sources: BotSources, names: BotSourceNames, extra?: ExtraBotCheck): { definition?: BotDefinition; training?: TrainingData; errors: string[] } {
  const errors: string[] = [];
  const raw = sources.bot;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { errors: [`${names.bot}: (root): expected a mapping`] };
  const hasFaqFile = sources.faq !== undefined;
  const merged: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (hasFaqFile) {
    if ("faq" in merged) errors.push(`${names.bot}: faq: give the FAQ either here or in faq.yaml, not both`);
    merged.faq = sources.faq;
  }
  const parsed = BotDefinitionSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const inFaq = issue.path[0] === "faq" && hasFaqFile;
      const path = inFaq ? issue.path.slice(1) : issue.path;
      errors.push(formatIssue(inFaq ? names.faq : names.bot, path, issue.message));
    }
  } else if (parsed.data.id !== id) {
    errors.push(`${names.bot}: id: "${parsed.data.id}" must match the folder name "${id}"`);
  }
  let training: TrainingData | undefined;
  if (sources.nlu !== undefined) {
    const result = TrainingDataSchema.safeParse(sources.nlu);
    if (result.success) training = result.data;
    else errors.push(...result.error.issues.map((issue) => formatIssue(names.nlu, issue.path, issue.message)));
  }
  if (!parsed.success || !training) return { errors };
  errors.push(...checkReferences(parsed.data, training, { bot: names.bot, faq: hasFaqFile ? names.faq : names.bot, nlu: names.nlu }));
  if (extra) errors.push(...extra(sources, names));
  return { definition: parsed.data, training, errors };
}
