// Reads and checks every bot under bots/ (folders starting with "_" are skipped): the schema of
// bot.yaml, faq.yaml and nlu.yaml, then the references between them (references.ts).
// Shared by `npm run validate` and `npm run build:bots`, so both report the same problems.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { BotDefinitionSchema, type BotDefinition } from "../../shared/schemas/bot.ts";
import { TrainingDataSchema, formatIssuePath, type TrainingData } from "../../shared/schemas/training.ts";
import { botRegexes, checkBotRegexes } from "./bot-regexes.ts";
import { loadBotKnowledge, type BotKnowledge } from "./knowledge.ts";
import { checkReferences } from "./references.ts";

export interface LoadedBot {
  id: string;
  dir: string;
  definition: BotDefinition;
  training: TrainingData;
  /** The bot's documents, split and indexed (`knowledge:` in bot.yaml). */
  knowledge?: BotKnowledge | undefined;
}

export interface LoadResult {
  bots: LoadedBot[];
  /** `bots/ecommerce/bot.yaml: rules[3].response: unknown response "utter_x"` */
  errors: string[];
}

function botDirectories(root: string): string[] {
  const botsDir = join(root, "bots");
  if (!existsSync(botsDir)) return [];
  return readdirSync(botsDir)
    .filter((name) => !name.startsWith("_") && !name.startsWith(".") && statSync(join(botsDir, name)).isDirectory())
    .sort()
    .map((name) => join(botsDir, name));
}

export function readYaml(file: string, root: string, errors: string[]): unknown {
  try {
    return parseYaml(readFileSync(file, "utf8"), { uniqueKeys: true });
  } catch (error) {
    errors.push(`${relative(root, file)}: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

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

/**
 * Checks a bot's parsed files — schemas, the id, the references between them — and returns the bot
 * or every problem found. `loadBot` reads a folder into it; a bot packed as one document
 * (bot-document.ts) is checked by the same code, so both report the same problems.
 */
export function checkBot(id: string, sources: BotSources, names: BotSourceNames): { definition?: BotDefinition; training?: TrainingData; errors: string[] } {
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
  // Every regex the bot runs on user messages must be linear in the message (after the schema checked they compile).
  errors.push(...checkBotRegexes(botRegexes(names.bot, raw, names.nlu, sources.nlu)));
  return { definition: parsed.data, training, errors };
}

export function loadBot(dir: string, root: string): { bot?: LoadedBot; errors: string[] } {
  const errors: string[] = [];
  const id = dir.split(/[\\/]/).pop() ?? "";
  const botFile = join(dir, "bot.yaml");
  const faqFile = join(dir, "faq.yaml");
  const nluFile = join(dir, "nlu.yaml");
  const rel = (file: string) => relative(root, file);
  if (!existsSync(botFile)) return { errors: [`${rel(botFile)}: missing`] };
  const raw = readYaml(botFile, root, errors);
  if (raw === undefined) return { errors };
  const sources: BotSources = { bot: raw };
  // An unreadable faq.yaml is reported by readYaml; the rest is checked as if it were empty.
  if (existsSync(faqFile)) sources.faq = readYaml(faqFile, root, errors) ?? {};
  if (!existsSync(nluFile)) errors.push(`${rel(nluFile)}: missing (the bot's NLU training data)`);
  else sources.nlu = readYaml(nluFile, root, errors);
  const checked = checkBot(id, sources, { bot: rel(botFile), faq: rel(faqFile), nlu: rel(nluFile) });
  errors.push(...checked.errors);
  if (!checked.definition || !checked.training) return { errors };
  let knowledge: BotKnowledge | undefined;
  if (checked.definition.knowledge) {
    const loaded = loadBotKnowledge(dir, rel(dir), checked.definition.knowledge, checked.definition.locales);
    errors.push(...loaded.errors);
    knowledge = loaded.knowledge;
  }
  return { bot: { id, dir, definition: checked.definition, training: checked.training, knowledge }, errors };
}

export function loadBots(root: string): LoadResult {
  const bots: LoadedBot[] = [];
  const errors: string[] = [];
  for (const dir of botDirectories(root)) {
    const result = loadBot(dir, root);
    errors.push(...result.errors);
    if (result.bot) bots.push(result.bot);
  }
  if (bots.length === 0 && errors.length === 0) errors.push("bots/: no bots found");
  return { bots, errors };
}
