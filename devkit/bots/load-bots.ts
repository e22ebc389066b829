// Reads and checks every bot under bots/ (folders starting with "_" are skipped): the schema of
// bot.yaml, faq.yaml and nlu.yaml, then the references between them (references.ts).
// Shared by `npm run validate` and `npm run build:bots`, so both report the same problems.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { BotDefinitionSchema, type BotDefinition } from "../../shared/schemas/bot.ts";
import { TrainingDataSchema, formatIssuePath, type TrainingData } from "../../shared/schemas/training.ts";
import { botRegexes, checkBotRegexes } from "./bot-regexes.ts";
import { checkReferences } from "./references.ts";

export interface LoadedBot {
  id: string;
  dir: string;
  definition: BotDefinition;
  training: TrainingData;
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
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { errors: [`${rel(botFile)}: (root): expected a mapping`] };
  const merged: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  if (existsSync(faqFile)) {
    if ("faq" in merged) errors.push(`${rel(botFile)}: faq: give the FAQ either here or in faq.yaml, not both`);
    merged.faq = readYaml(faqFile, root, errors);
  }
  const parsed = BotDefinitionSchema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const inFaq = issue.path[0] === "faq" && existsSync(faqFile);
      const path = inFaq ? issue.path.slice(1) : issue.path;
      errors.push(formatIssue(rel(inFaq ? faqFile : botFile), path, issue.message));
    }
  } else if (parsed.data.id !== id) {
    errors.push(`${rel(botFile)}: id: "${parsed.data.id}" must match the folder name "${id}"`);
  }
  let training: TrainingData | undefined;
  let trainingRaw: unknown;
  if (!existsSync(nluFile)) errors.push(`${rel(nluFile)}: missing (the bot's NLU training data)`);
  else {
    trainingRaw = readYaml(nluFile, root, errors);
    if (trainingRaw !== undefined) {
      const result = TrainingDataSchema.safeParse(trainingRaw);
      if (result.success) training = result.data;
      else errors.push(...result.error.issues.map((issue) => formatIssue(rel(nluFile), issue.path, issue.message)));
    }
  }
  if (!parsed.success || !training) return { errors };
  const files = { bot: rel(botFile), faq: existsSync(faqFile) ? rel(faqFile) : rel(botFile), nlu: rel(nluFile) };
  errors.push(...checkReferences(parsed.data, training, files));
  // Every regex the bot runs on user messages must be linear in the message (after the schema checked they compile).
  errors.push(...checkBotRegexes(botRegexes(files.bot, raw, files.nlu, trainingRaw)));
  return { bot: { id, dir, definition: parsed.data, training }, errors };
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
