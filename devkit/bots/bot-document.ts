// A bot folder as one document and back (shared/schemas/bot-versions.ts): what `npx stratus push`
// sends to `PUT /v1/bots/{bot}`, and what a published version is written back as. The document
// is checked by the same code as a folder (load-bots.ts `checkBot`, conversation-tests.ts
// `checkConversationTests`), so it gets exactly the problems `npm run validate` would print for
// the folder, under the same file names; it carries the bot's documents (`knowledge.folder`) too.
// The folder's holdout files stay local: they are for evaluating the bot, not for running it.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";
import { parse as parseYaml, stringify } from "yaml";
import { BotDocumentSchema, DocumentPathSchema, TestFileNameSchema, type BotDocument } from "../../shared/schemas/bot-versions.ts";
import { formatIssuePath } from "../../shared/schemas/training.ts";
import { checkConversationTests } from "./conversation-tests.ts";
import { checkBot, readYaml } from "./load-bots.ts";

const TEST_FILE = /\.ya?ml$/;

/** Problems are named as for a folder: `bots/<id>/bot.yaml: rules[2].response: …`. */
const fileNames = (id: string) => ({
  bot: `bots/${id}/bot.yaml`,
  faq: `bots/${id}/faq.yaml`,
  nlu: `bots/${id}/nlu.yaml`,
  test: (name: string) => `bots/${id}/tests/${name}.yaml`,
});

/**
 * Reads `dir` (a bot folder under `root`) into a document, and checks it as `npm run validate`
 * checks the folder: a bot with problems is not packed, and the problems are returned instead.
 */
export function readBotDocument(dir: string, root: string): { document?: BotDocument; errors: string[] } {
  const id = basename(dir);
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
  const documents = readDocuments(dir, bot, root, errors);
  if (errors.length > 0 || bot === undefined || nlu === undefined) return { errors };
  const document: BotDocument = {
    bot,
    nlu,
    ...(faq !== undefined ? { faq } : {}),
    ...(testFiles.length > 0 ? { tests } : {}),
    ...(documents !== undefined ? { documents } : {}),
  };
  const problems = checkBotDocument(document, id);
  return problems.length > 0 ? { errors: problems } : { document, errors: [] };
}

/** The bot's documents folder (`knowledge.folder`), file by file: path inside the folder → text. */
function readDocuments(dir: string, bot: Record<string, unknown> | undefined, root: string, errors: string[]): Record<string, string> | undefined {
  const knowledge = bot?.knowledge as { folder?: unknown } | undefined;
  if (typeof knowledge?.folder !== "string") return undefined;
  const folder = join(dir, knowledge.folder);
  if (!existsSync(folder)) return undefined; // checkBot reports the missing folder
  const documents: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(md|markdown|html?)$/i.test(name)) {
        const inside = relative(folder, path).split(sep).join("/");
        if (DocumentPathSchema.safeParse(inside).success) documents[inside] = readFileSync(path, "utf8");
        else errors.push(`${relative(root, path)}: a published document's path is <locale>/…/<name>.md or .html (letters, digits, _ . - and spaces)`);
      }
    }
  };
  walk(folder);
  return documents;
}

/** The document as the YAML text `npx stratus push` sends. */
export function botDocumentText(document: BotDocument): string {
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Parses a document's text (YAML, or JSON, which is YAML too) and checks its outer shape. */
export function parseBotDocument(text: string): { document?: BotDocument; errors: string[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text, { uniqueKeys: true });
  } catch (error) {
    return { errors: [`document: ${(error as Error).message.split("\n")[0]}`] };
  }
  const result = BotDocumentSchema.safeParse(raw);
  if (!result.success) return { errors: result.error.issues.map((issue) => `document: ${formatIssuePath(issue.path)}: ${issue.message}`) };
  return { document: result.data, errors: [] };
}

/** Every problem of the bot in `document` as `npm run validate` would print it for bots/<id>/ (empty: none). */
export function checkBotDocument(document: BotDocument, id: string): string[] {
  const names = fileNames(id);
  const checked = checkBot(id, { bot: document.bot, faq: document.faq, nlu: document.nlu }, names);
  const errors = [...checked.errors];
  if (checked.definition && checked.training) {
    const bot = { id, definition: checked.definition, training: checked.training };
    for (const [name, raw] of Object.entries(document.tests ?? {})) errors.push(...checkConversationTests(bot, raw, names.test(name)).errors);
  }
  return errors;
}

/**
 * Writes the document as a bot folder `dir` (which must not exist yet): bot.yaml, nlu.yaml,
 * faq.yaml and tests/<name>.yaml. Returns the paths written.
 */
export function writeBotFolder(document: BotDocument, dir: string): string[] {
  if (existsSync(dir)) throw new Error(`${dir} already exists`);
  const files: Array<[string, unknown]> = [
    ["bot.yaml", document.bot],
    ["nlu.yaml", document.nlu],
    ...(document.faq !== undefined ? [["faq.yaml", document.faq] as [string, unknown]] : []),
    ...Object.entries(document.tests ?? {}).map(([name, content]): [string, unknown] => [join("tests", `${name}.yaml`), content]),
  ];
  mkdirSync(dir, { recursive: true });
  if (document.tests !== undefined) mkdirSync(join(dir, "tests"));
  const written = files.map(([file, content]) => {
    const path = join(dir, file);
    writeFileSync(path, stringify(content, { lineWidth: 0, aliasDuplicateObjects: false }), { flag: "wx" });
    return path;
  });
  const folder = (document.bot as { knowledge?: { folder?: unknown } }).knowledge?.folder;
  for (const [inside, text] of Object.entries(document.documents ?? {})) {
    if (typeof folder !== "string") break;
    const path = join(dir, folder, ...inside.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text, { flag: "wx" });
    written.push(path);
  }
  return written;
}
