/**
 * `node cli/check-regexes.ts [--root DIR] [--record] [PATH ...]` (`npm run check:regexes`, part of
 * `npm run check`): every regular expression that sees user text must be linear in it (devkit/redos.ts
 * asks recheck). Exit 1, one line per super-linear pattern naming file and line, if one is not.
 * `--record` rewrites devkit/redos-linear.json, the committed list of patterns already found linear,
 * so that the check takes seconds instead of minutes; commit it after adding or changing a pattern.
 *
 * Which patterns:
 * 1. In code — the .ts files (tests left out) under the PATHs, by default the NLU and dialogue Workers'
 *    sources, shared/languages, shared/schemas and shared/bots. Read with the TypeScript compiler: every regex
 *    literal, and every `new RegExp(…)` / `RegExp(…)` whose source is a literal string.
 * 2. Built at run time — a `RegExp(…)` whose source is computed (word lists joined into a pattern,
 *    per-locale builders): the modules holding one are imported with `RegExp` wrapped to record each
 *    pattern built and the line that built it, and the NLU's lazy builders are run for every locale.
 *    Each such call site must have been seen building a pattern, or carry the comment
 *    `redos-check: bot-authored` (its source is a bot author's regex, checked under 3).
 * 3. In bots — every `bots/<id>/bot.yaml` slot `validate.regex` and `textMatches`, and `nlu.yaml`
 *    entity `regex` under the root (devkit/bots/bot-regexes.ts; `npm run validate` refuses them too).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { parse as parseYaml } from "yaml";
import { botRegexes } from "../devkit/bots/bot-regexes.ts";
import { analyseRegexes, recordLinear, RECORDED_FILE } from "../devkit/redos.ts";

const repoRoot = resolve(import.meta.dirname, "..");
// shared/bots: the templates the dialogue engine renders moved there from workers/dialogue/src (bot versions).
const DEFAULT_PATHS = ["workers/intent/src", "workers/dialogue/src", "shared/languages", "shared/schemas", "shared/bots"];
const BOT_AUTHORED = "redos-check: bot-authored";

const { values: args, positionals } = parseArgs({ options: { root: { type: "string" }, record: { type: "boolean", default: false } }, allowPositionals: true });
const root = args.root === undefined ? repoRoot : resolve(args.root);
const scanned = (positionals.length > 0 ? positionals.map((path) => resolve(path)) : DEFAULT_PATHS.map((path) => join(repoRoot, path))).flatMap(sourceFiles);
const shown = (file: string): string => relative(process.cwd(), file) || file;

interface Found {
  source: string;
  flags: string;
  /** "shared/schemas/text.ts:32" */
  where: string;
}

interface DynamicSite {
  file: string;
  line: number;
}

function sourceFiles(path: string): string[] {
  if (!existsSync(path)) throw new Error(`check-regexes: no such file or folder: ${path}`);
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    const full = join(path, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(full);
    return /\.(?:ts|mts)$/.test(entry.name) && !/\.(?:test|d)\.ts$/.test(entry.name) ? [full] : [];
  });
}

function literalText(node: ts.Expression | undefined): string | undefined {
  if (node === undefined) return "";
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/** Regex literals and literal `RegExp(…)` calls of one file; the other `RegExp(…)` calls as dynamic sites. */
function scanFile(file: string): { found: Found[]; dynamic: DynamicSite[] } {
  const text = readFileSync(file, "utf8");
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const lines = text.split("\n");
  const found: Found[] = [];
  const dynamic: DynamicSite[] = [];
  const lineOf = (node: ts.Node): number => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const literal = node.getText(sourceFile);
      const end = literal.lastIndexOf("/");
      found.push({ source: literal.slice(1, end), flags: literal.slice(end + 1), where: `${shown(file)}:${lineOf(node)}` });
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === "RegExp") {
      const source = literalText(node.arguments?.[0]);
      const flags = literalText(node.arguments?.[1]);
      const line = lineOf(node);
      if (source !== undefined && flags !== undefined) found.push({ source, flags, where: `${shown(file)}:${line}` });
      else if (!(lines[line - 1] ?? "").includes(BOT_AUTHORED) && !(lines[line - 2] ?? "").includes(BOT_AUTHORED)) dynamic.push({ file, line });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return { found, dynamic };
}

/**
 * Imports the modules with dynamic sites while `RegExp` records every pattern built and the first
 * stack frame in a scanned file (Node strips types without moving code, so lines are the source's).
 */
async function builtAtRunTime(sites: readonly DynamicSite[]): Promise<Found[]> {
  const files = new Set(scanned);
  const built: Found[] = [];
  const NativeRegExp = RegExp;
  const frame = /(?:file:\/\/)?(\/[^\s()]+?\.m?ts):(\d+):\d+/;
  globalThis.RegExp = new Proxy(NativeRegExp, {
    construct(target, argumentList, newTarget) {
      const made = Reflect.construct(target, argumentList, newTarget) as RegExp;
      for (const line of (new Error().stack ?? "").split("\n").slice(1)) {
        const match = frame.exec(line);
        if (match && files.has(match[1] ?? "")) {
          built.push({ source: made.source, flags: made.flags, where: `${shown(match[1] ?? "")}:${match[2]}` });
          break;
        }
      }
      return made;
    },
  });
  try {
    for (const file of new Set(sites.map((site) => site.file))) await import(pathToFileURL(file).href);
    await exerciseNlu(files);
  } finally {
    globalThis.RegExp = NativeRegExp;
  }
  return built;
}

/** The NLU's per-locale builders (numbers, money, dates and times) run on first use in a locale: use each once. */
async function exerciseNlu(files: ReadonlySet<string>): Promise<void> {
  const entities = join(repoRoot, "workers/intent/src/nlu/entities");
  if (![...files].some((file) => file.startsWith(entities))) return;
  const { LOCALES } = await import("../shared/languages/index.ts");
  const { extractNumbers } = await import("../workers/intent/src/nlu/entities/number.ts");
  const { extractMoney } = await import("../workers/intent/src/nlu/entities/money.ts");
  const { extractDateTimes } = await import("../workers/intent/src/nlu/entities/datetime.ts");
  const text = "tomorrow at 5pm, 20 dollars, 3 items";
  for (const locale of LOCALES) {
    const input = { text, normalized: text, folded: text, locale, nowMs: Date.UTC(2025, 2, 5), timezone: "UTC" };
    extractNumbers(input);
    extractMoney(input);
    extractDateTimes(input);
  }
}

function botsRegexes(): Found[] {
  const botsDir = join(root, "bots");
  if (!existsSync(botsDir)) return [];
  const found: Found[] = [];
  for (const id of readdirSync(botsDir).sort()) {
    const dir = join(botsDir, id);
    if (id.startsWith("_") || id.startsWith(".") || !statSync(dir).isDirectory()) continue;
    const read = (name: string): unknown => (existsSync(join(dir, name)) ? parseYaml(readFileSync(join(dir, name), "utf8")) : undefined);
    const botFile = shown(join(dir, "bot.yaml"));
    const nluFile = shown(join(dir, "nlu.yaml"));
    for (const regex of botRegexes(botFile, read("bot.yaml"), nluFile, read("nlu.yaml"))) {
      const path = regex.path.map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`)).join("").replace(/^\./, "");
      found.push({ source: regex.source, flags: regex.flags, where: `${regex.file}: ${path}` });
    }
  }
  return found;
}

const started = performance.now();
const inCode: Found[] = [];
const dynamicSites: DynamicSite[] = [];
for (const file of scanned) {
  const { found, dynamic } = scanFile(file);
  inCode.push(...found);
  dynamicSites.push(...dynamic);
}
const atRunTime = await builtAtRunTime(dynamicSites);
const inBots = botsRegexes();
const problems: string[] = [];
for (const site of dynamicSites) {
  if (!atRunTime.some((found) => found.where === `${shown(site.file)}:${site.line}`)) {
    problems.push(
      `${shown(site.file)}:${site.line}: RegExp built from a computed source that the checker never saw built: ` +
        `have cli/check-regexes.ts run the code that builds it, or, if its source is a bot author's regex, mark the line "// ${BOT_AUTHORED}"`,
    );
  }
}

// One analysis per distinct pattern, reported at every place it appears.
const all = [...inCode, ...atRunTime, ...inBots];
const byPattern = new Map<string, { source: string; flags: string; where: Set<string> }>();
for (const found of all) {
  const key = `${found.flags}\0${found.source}`;
  const entry = byPattern.get(key) ?? { source: found.source, flags: found.flags, where: new Set<string>() };
  entry.where.add(found.where);
  byPattern.set(key, entry);
}
const patterns = [...byPattern.values()];
const verdicts = await analyseRegexes(patterns);
patterns.forEach((pattern, index) => {
  const verdict = verdicts[index];
  if (!verdict || verdict.linear) return;
  const attack = verdict.attack === undefined ? "" : ` — slow on ${verdict.attack}`;
  const shownSource = pattern.source.length > 160 ? `${pattern.source.slice(0, 157)}...` : pattern.source;
  for (const where of pattern.where) problems.push(`${where}: /${shownSource}/${pattern.flags} is super-linear: ${verdict.summary}${attack}`);
});

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const counts = `${patterns.length} distinct patterns (${inCode.length} in code, ${atRunTime.length} built at run time, ${inBots.length} in bots)`;
if (problems.length > 0) {
  for (const problem of problems) console.error(problem);
  console.error(`check-regexes: ${problems.length} problem(s) among ${counts}, ${seconds} s`);
  process.exit(1);
}
if (args.record) {
  recordLinear(patterns);
  console.log(`check-regexes: recorded ${patterns.length} linear patterns in ${shown(RECORDED_FILE)}`);
}
const fresh = verdicts.filter((verdict) => !verdict.summary.endsWith("(cached)")).length;
const hint = fresh > 0 && !args.record ? ` (${fresh} analysed afresh: \`npm run check:regexes -- --record\` and commit ${shown(RECORDED_FILE)} to skip that next time)` : "";
console.log(`check-regexes: ${counts}: all linear, ${seconds} s${hint}`);
