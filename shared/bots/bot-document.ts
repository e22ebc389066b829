// A bot as one document (shared/schemas/bot-versions.ts): parsed from its YAML or JSON text, checked
// exactly as `npm run validate` checks the bot's folder (check-bot.ts, knowledge-files.ts,
// conversation-tests.ts: the same code, the same problems under the same file names), and compiled
// into what the Workers run. `npx stratus push` checks a folder this way before it sends it
// (devkit/bots/bot-document.ts), and the gateway checks what it receives (PUT /v1/bots/{bot}).
import { parse as parseYaml, stringify } from "yaml";
import type { Locale } from "../schemas/nlu.ts";
import type { BotDefinition } from "../schemas/bot.ts";
import { BotDocumentSchema, type BotDocument } from "../schemas/bot-versions.ts";
import type { TrainingData } from "../schemas/training.ts";
import { formatIssuePath } from "../zod-issues.ts";
import { botFileNames, checkBot, type ExtraBotCheck } from "./check-bot.ts";
import { checkConversationTests } from "./conversation-tests.ts";
import { indexBotKnowledge, withoutTrailingSlashes, type BotKnowledge } from "./knowledge-files.ts";

/** A checked bot: what the dialogue Worker runs (definition, documents' index) and what the NLU is trained on. */
export interface CompiledBot {
  definition: BotDefinition;
  training: TrainingData;
  knowledge?: BotKnowledge | undefined;
}

/** Parses a document's text (YAML, or JSON, which is YAML too) and checks its outer shape. */
export function parseBotDocument(text: string): { document?: BotDocument; errors: string[] } {
  let raw: unknown;
  try {
    // Aliases are capped (the parser's default), so a small text cannot expand into a huge value.
    raw = parseYaml(text, { uniqueKeys: true });
  } catch (error) {
    return { errors: [`document: ${(error as Error).message.split("\n")[0]}`] };
  }
  const result = BotDocumentSchema.safeParse(raw);
  if (!result.success) return { errors: result.error.issues.map((issue) => `document: ${formatIssuePath(issue.path)}: ${issue.message}`) };
  return { document: result.data, errors: [] };
}

/** The document as YAML text (what `npx stratus push` sends, and `GET …/versions/{version}` answers as YAML). */
export function botDocumentText(document: BotDocument): string {
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/**
 * Checks the bot in `document` as `npm run validate` checks bots/<id>/ — its files, its documents,
 * its conversation tests — and compiles it. Problems are named as for the folder. `extra` adds the
 * check only Node runs (the ReDoS analysis: devkit/bots/bot-document.ts passes it, so a folder and
 * its document get exactly validate's problems). With `served` (the gateway's catalog entry of the
 * bot), what a published version may not change is checked too, after everything validate checks.
 */
export function compileBotDocument(document: BotDocument, id: string, options: { served?: ServedBot | undefined; extra?: ExtraBotCheck } = {}): { bot?: CompiledBot; problems: string[] } {
  const { served, extra } = options;
  const names = botFileNames(id);
  const checked = checkBot(id, { bot: document.bot, faq: document.faq, nlu: document.nlu }, names, extra);
  const problems = [...checked.errors];
  if (!checked.definition || !checked.training) return { problems };
  const { definition, training } = checked;
  let knowledge: BotKnowledge | undefined;
  if (definition.knowledge) {
    const files = document.documents;
    if (files === undefined) {
      problems.push(`${names.bot}: knowledge.folder: no folder ${withoutTrailingSlashes(`${names.dir}/${definition.knowledge.folder}`)}/`);
    } else {
      const folders = [...new Set(Object.keys(files).map((path) => path.split("/")[0] ?? ""))];
      const indexed = indexBotKnowledge({ folders, files }, names.dir, definition.knowledge, definition.locales);
      problems.push(...indexed.errors);
      knowledge = indexed.knowledge;
    }
  } else if (document.documents !== undefined) {
    problems.push(`${names.bot}: knowledge: the document has documents but bot.yaml names no knowledge folder`);
  }
  // Conversation tests are checked against the bot with its documents (they may expect a passage), as validate does.
  const bot = { id, definition, training, knowledge };
  for (const [name, raw] of Object.entries(document.tests ?? {})) problems.push(...checkConversationTests(bot, raw, names.test(name)).errors);
  if (served) problems.push(...versionProblems(definition, served, id));
  return problems.length > 0 ? { problems } : { bot: { definition, training, knowledge }, problems };
}

/** The locales the NLU detects among, default first (as `npm run train` reads them from bot.yaml). */
export function trainingLocales(definition: BotDefinition): Locale[] {
  return [definition.defaultLocale, ...definition.locales.filter((locale) => locale !== definition.defaultLocale)];
}

/** What a deployment fixed for a bot when it was built: the gateway checks locales and routes by residency before any version is chosen. */
export interface ServedBot {
  locales: readonly Locale[];
  defaultLocale: Locale;
  jurisdiction?: string | undefined;
}

/**
 * What a published version may not change, since the deployment decided it before a version is
 * chosen (the gateway checks a conversation's locale against the catalog and places it by residency
 * when it is created): its languages, default language and jurisdiction. They change with a deploy.
 */
export function versionProblems(definition: BotDefinition, served: ServedBot, id: string): string[] {
  const file = botFileNames(id).bot;
  const problems: string[] = [];
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((value, i) => value === [...b].sort()[i]);
  if (!same(definition.locales, served.locales)) {
    problems.push(`${file}: locales: a published version speaks the deployment's locales of the bot (${served.locales.join(", ")}); other locales need a deploy`);
  }
  if (definition.defaultLocale !== served.defaultLocale) {
    problems.push(`${file}: defaultLocale: a published version keeps the deployment's default locale "${served.defaultLocale}"; changing it needs a deploy`);
  }
  const jurisdiction = definition.residency?.jurisdiction;
  if (jurisdiction !== served.jurisdiction) {
    problems.push(`${file}: residency: a published version keeps the deployment's residency (${served.jurisdiction ?? "none"}); changing it needs a deploy`);
  }
  return problems;
}

/** JSON with every object's keys sorted: the same document gives the same text, whatever order it was written in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) return inner;
    const entries = Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  });
}

/** The content hash of a document: SHA-256 (hex) of its canonical JSON. */
export async function documentHash(document: BotDocument): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(canonicalJson(document)));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
