// A bot folder as one document and back (shared/schemas/bot-versions.ts): what `npx stratus push`
// sends to `PUT /v1/bots/{bot}`, and what a published version is written back as. The document
// is checked by the same code as a folder (shared/bots/bot-document.ts), so it gets exactly the
// problems `npm run validate` would print for the folder, under the same file names. The folder's
// holdout files stay local: they are for evaluating the bot, not for running it.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { stringify } from "yaml";
import { compileBotDocument, type ServedBot } from "../../shared/bots/bot-document.ts";
import { DocumentPathSchema, TestFileNameSchema, type BotDocument } from "../../shared/schemas/bot-versions.ts";
import { KnowledgeSettingsSchema } from "../../shared/schemas/knowledge.ts";
import { readKnowledgeFiles } from "./knowledge.ts";
import { checkRegexesOfBot, readYaml } from "./load-bots.ts";

export { botDocumentText, canonicalJson, documentHash, parseBotDocument } from "../../shared/bots/bot-document.ts";

/**
 * Every problem of the bot in `document` as `npm run validate` would print it for bots/<id>/ (empty:
 * none): what the gateway checks (shared/bots/bot-document.ts) and the ReDoS analysis of its regexes.
 */
export function checkBotDocument(document: BotDocument, id: string, served?: ServedBot): string[] {
  return compileBotDocument(document, id, { served, extra: checkRegexesOfBot }).problems;
}

const TEST_FILE = /\.ya?ml$/;

/**
 * The bot's documents (its `knowledge.folder`) by path inside the folder, as the folder reader reads
 * them, when bot.yaml names a folder that exists (the check reports one that does not). A path a
 * document cannot carry is a problem.
 */
function documentsOf(dir: string, root: string, bot: Record<string, unknown>, errors: string[]): Record<string, string> | undefined {
  const settings = KnowledgeSettingsSchema.safeParse(bot.knowledge);
  if (!settings.success) return undefined;
  const files = readKnowledgeFiles(dir, settings.data)?.files;
  for (const path of Object.keys(files ?? {})) {
    if (!DocumentPathSchema.safeParse(path).success) {
      errors.push(`${relative(root, join(dir, settings.data.folder, ...path.split("/")))}: a published document's path is <locale>/…/<name>.md or .html (letters, digits, _ . - and spaces)`);
    }
  }
  return files;
}

/**
 * Reads `dir` (a bot folder under `root`) into a document, and checks it as `npm run validate`
 * checks the folder: a bot with problems is not packed, and the problems are returned instead.
 */
export function readBotDocument(dir: string, root: string): { document?: BotDocument; errors: string[] } {
  const packed = packBotFolder(dir, root);
  if (packed.document === undefined) return packed;
  const problems = checkBotDocument(packed.document, basename(dir));
  return problems.length > 0 ? { errors: problems } : packed;
}

/** Reads `dir` into a document without checking the bot (only that its files can be read): `npm run build:bots`, which checks it its own way. */
export function packBotFolder(dir: string, root: string): { document?: BotDocument; errors: string[] } {
  const errors: string[] = [];
  const read = (file: string): Record<string, unknown> | undefined => {
    const path = join(dir, file);
    if (!existsSync(path)) return undefined;
    const raw = readYaml(path, root, errors);
    if (raw === undefined) return undefined;
    if (typeof raw === "object" && raw !== null && !Array.isArray(raw)) return raw as Record<string, unknown>;
    errors.push(`${relative(root, path)}: (root): expected a mapping`);
    return undefined;
  };
  const bot = read("bot.yaml");
  const nlu = read("nlu.yaml");
  const faq = read("faq.yaml");
  if (!existsSync(join(dir, "bot.yaml"))) errors.push(`${relative(root, join(dir, "bot.yaml"))}: missing`);
  if (!existsSync(join(dir, "nlu.yaml"))) errors.push(`${relative(root, join(dir, "nlu.yaml"))}: missing (the bot's NLU training data)`);
  const testsDir = join(dir, "tests");
  const testFiles = existsSync(testsDir) ? readdirSync(testsDir).filter((name) => TEST_FILE.test(name)).sort() : [];
  const tests: Record<string, unknown> = {};
  for (const file of testFiles) {
    const name = file.replace(TEST_FILE, "");
    const shown = relative(root, join(testsDir, file));
    if (name in tests) errors.push(`${shown}: tests/${name}.yaml and tests/${name}.yml both exist: keep one`);
    else if (!TestFileNameSchema.safeParse(name).success) errors.push(`${shown}: a published test file's name is letters, digits, _ . - (starting with a letter or digit)`);
    tests[name] = readYaml(join(testsDir, file), root, errors);
  }
  if (errors.length > 0 || bot === undefined || nlu === undefined) return { errors };
  const documents = documentsOf(dir, root, bot, errors);
  if (errors.length > 0) return { errors };
  const document: BotDocument = {
    bot,
    nlu,
    ...(faq !== undefined ? { faq } : {}),
    ...(testFiles.length > 0 ? { tests } : {}),
    ...(documents !== undefined ? { documents } : {}),
  };
  return { document, errors: [] };
}

/**
 * Writes the document as a bot folder `dir` (which must not exist yet): bot.yaml, nlu.yaml,
 * faq.yaml, the knowledge folder's documents and tests/<name>.yaml. Returns the paths written.
 */
export function writeBotFolder(document: BotDocument, dir: string): string[] {
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  const yaml = (content: unknown) => stringify(content, { lineWidth: 0, aliasDuplicateObjects: false });
  const folder = KnowledgeSettingsSchema.safeParse(document.bot.knowledge).data?.folder;
  const files: Array<[string, string]> = [
    ["bot.yaml", yaml(document.bot)],
    ["nlu.yaml", yaml(document.nlu)],
    ...(document.faq !== undefined ? [["faq.yaml", yaml(document.faq)] as [string, string]] : []),
    ...Object.entries(document.documents ?? {}).map(([path, text]): [string, string] => [join(folder ?? "knowledge", ...path.split("/")), text]),
    ...Object.entries(document.tests ?? {}).map(([name, content]): [string, string] => [join("tests", `${name}.yaml`), yaml(content)]),
  ];
  mkdirSync(dir, { recursive: true });
  return files.map(([file, text]) => {
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: "wx" });
    return path;
  });
}
