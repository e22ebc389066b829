// Reads and checks every bot under bots/ (folders starting with "_" are skipped): the schema of
// bot.yaml, faq.yaml and nlu.yaml, then the references between them (shared/bots/check-bot.ts).
// Shared by `npm run validate` and `npm run build:bots`, so both report the same problems.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { checkBot as checkBotFiles, type BotSourceNames, type BotSources, type ExtraBotCheck } from "../../shared/bots/check-bot.ts";
import type { BotDefinition } from "../../shared/schemas/bot.ts";
import type { TrainingData } from "../../shared/schemas/training.ts";
import { botRegexes, checkBotRegexes } from "./bot-regexes.ts";
import { loadBotKnowledge, type BotKnowledge } from "./knowledge.ts";

export { formatIssue, type BotSourceNames, type BotSources } from "../../shared/bots/check-bot.ts";

/** Every regex the bot runs on user messages must be linear in the message (after the schema checked they compile). */
export const checkRegexesOfBot: ExtraBotCheck = (sources, names) => checkBotRegexes(botRegexes(names.bot, sources.bot, names.nlu, sources.nlu));

/**
 * Checks a bot's parsed files as `npm run validate` does: shared/bots/check-bot.ts (what the gateway
 * checks a published bot with too) and the ReDoS analysis of its regexes, which only Node runs.
 */
export function checkBot(id: string, sources: BotSources, names: BotSourceNames): ReturnType<typeof checkBotFiles> {
  return checkBotFiles(id, sources, names, checkRegexesOfBot);
}

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
