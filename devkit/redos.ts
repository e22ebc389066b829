/**
 * Is a regular expression linear? Asks recheck (a ReDoS analyser: automata theory where it can, a
 * fuzzer for lookarounds, back-references and large patterns), which models the search of an
 * unanchored pattern at every position, so `\s+$` counts as quadratic, as it is when a message is
 * searched with it. A pattern found super-linear is then run by recheck on its attack string (up to
 * 300,000 characters) in Node's own engine ("recall validation", native backend only): what V8 still
 * matches within RECALL_MS is linear in practice (the fuzzer's estimates of large patterns' degree
 * are not always right), what it does not is reported.
 * Verdicts of "linear" are remembered by recheck version, flags and source: in devkit/redos-linear.json
 * (committed; `node cli/check-regexes.ts --record` rewrites it) and in node_modules/.cache. A fuzzed
 * pattern takes seconds to analyse and the repository has over a hundred; a pattern that is new or
 * changed has a new key and is analysed afresh.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as Recheck from "recheck";
import type { Diagnostics } from "recheck";

export interface RegexVerdict {
  linear: boolean;
  /** "safe", "2nd degree polynomial", "exponential", or why recheck could not tell. */
  summary: string;
  /** A string that makes it slow, shortened for a log line. */
  attack?: string;
}

/** recheck's own limit per pattern (ms); a pattern it cannot decide in time is not linear. */
const TIMEOUT_MS = 60_000;
/** A quadratic pattern takes minutes on a 300,000-character attack; a linear one milliseconds. */
const RECALL_MS = 2_000;
const PARAMETERS = { timeout: TIMEOUT_MS, recallTimeout: RECALL_MS };
/** The pure-JavaScript backend (no native binary for this platform) cannot run the recall validation. */
const recallUnsupported = (diagnostics: Diagnostics): boolean =>
  diagnostics.status === "unknown" && "message" in diagnostics.error && diagnostics.error.message.includes("recall validation is not supported");

const root = join(import.meta.dirname, "..");
const cacheFile = join(root, "node_modules", ".cache", "stratus-redos.json");
export const RECORDED_FILE = join(root, "devkit", "redos-linear.json");
const require = createRequire(import.meta.url);
const recheckVersion = (require("recheck/package.json") as { version: string }).version;
/** recheck itself is loaded only when a pattern is not already known linear (every bot load asks). */
let recheck: typeof Recheck | undefined;
const analyser = (): typeof Recheck => (recheck ??= require("recheck") as typeof Recheck);

export const cacheKey = (source: string, flags: string): string =>
  createHash("sha256").update(`${recheckVersion}\0${normalizeFlags(flags)}\0${source}`).digest("hex").slice(0, 32);

/** Flags that do not change what a pattern matches or how long it takes are left out (recheck ignores them too). */
function normalizeFlags(flags: string): string {
  return [...flags].filter((flag) => "imsuv".includes(flag)).sort().join("");
}

let cache: Set<string> | undefined;
function safeCache(): Set<string> {
  if (cache) return cache;
  cache = new Set<string>();
  for (const file of [RECORDED_FILE, cacheFile]) {
    try {
      if (existsSync(file)) for (const key of JSON.parse(readFileSync(file, "utf8")) as string[]) cache.add(key);
    } catch {
      // A damaged cache is rebuilt.
    }
  }
  return cache;
}

function remember(key: string): void {
  const keys = safeCache();
  if (keys.has(key)) return;
  keys.add(key);
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    writeFileSync(cacheFile, JSON.stringify([...keys]));
  } catch {
    // No cache, only slower.
  }
}

function verdictOf(diagnostics: Diagnostics): RegexVerdict {
  if (diagnostics.status === "safe") return { linear: true, summary: diagnostics.complexity.summary };
  if (diagnostics.status === "vulnerable") {
    const attack = diagnostics.attack.pattern;
    return { linear: false, summary: diagnostics.complexity.summary, attack: attack.length > 80 ? `${attack.slice(0, 77)}...` : attack };
  }
  return { linear: false, summary: `recheck could not decide (${diagnostics.error.kind}${"message" in diagnostics.error ? `: ${diagnostics.error.message}` : ""})` };
}

/** This process's verdicts (a bot may use one regex in several places). */
const seen = new Map<string, RegexVerdict>();

/** One pattern, synchronously (the bot loader is synchronous). */
export function analyseRegexSync(source: string, flags: string): RegexVerdict {
  const key = cacheKey(source, flags);
  if (safeCache().has(key)) return { linear: true, summary: "safe (cached)" };
  const known = seen.get(key);
  if (known) return known;
  let diagnostics = analyser().checkSync(source, normalizeFlags(flags), PARAMETERS);
  if (recallUnsupported(diagnostics)) diagnostics = analyser().checkSync(source, normalizeFlags(flags), { timeout: TIMEOUT_MS });
  const verdict = verdictOf(diagnostics);
  if (verdict.linear) remember(key);
  seen.set(key, verdict);
  return verdict;
}

/** Many patterns, a few at a time; the verdicts in the order given. */
export async function analyseRegexes(patterns: ReadonlyArray<{ source: string; flags: string }>, concurrency = 2): Promise<RegexVerdict[]> {
  const verdicts: RegexVerdict[] = new Array<RegexVerdict>(patterns.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < patterns.length) {
      const index = next++;
      const { source, flags } = patterns[index] ?? { source: "", flags: "" };
      const key = cacheKey(source, flags);
      if (safeCache().has(key)) {
        verdicts[index] = { linear: true, summary: "safe (cached)" };
        continue;
      }
      let diagnostics = await analyser().check(source, normalizeFlags(flags), PARAMETERS);
      if (recallUnsupported(diagnostics)) diagnostics = await analyser().check(source, normalizeFlags(flags), { timeout: TIMEOUT_MS });
      const verdict = verdictOf(diagnostics);
      if (verdict.linear) remember(key);
      verdicts[index] = verdict;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, patterns.length) }, worker));
  return verdicts;
}

/** Rewrites devkit/redos-linear.json with these patterns' keys (all of them found linear). */
export function recordLinear(patterns: ReadonlyArray<{ source: string; flags: string }>): void {
  const keys = [...new Set(patterns.map(({ source, flags }) => cacheKey(source, flags)))].sort();
  writeFileSync(RECORDED_FILE, `${JSON.stringify(keys, null, 1)}\n`);
}
