/**
 * The regular expressions a bot's author writes, which the engine runs on every user message that
 * reaches them: a form slot's `validate.regex` and a rule condition's `textMatches` in bot.yaml
 * (compiled with flags "iu"), an entity's `regex` list in nlu.yaml ("giu"). Each must be linear in
 * the message (devkit/redos.ts): `npm run validate`, `npm run build:bots` and `npm run check` refuse
 * a bot with a super-linear one, naming file and path.
 */
import { analyseRegexSync } from "../redos.ts";
import { formatIssuePath } from "../../shared/zod-issues.ts";

export interface BotRegex {
  /** The file as shown to the author ("bots/shop/bot.yaml"). */
  file: string;
  path: ReadonlyArray<string | number>;
  source: string;
  flags: string;
}

type Path = Array<string | number>;

function walk(value: unknown, path: Path, visit: (value: unknown, path: Path) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((item, index) => walk(item, [...path, index], visit));
  else if (typeof value === "object" && value !== null) for (const [key, item] of Object.entries(value)) walk(item, [...path, key], visit);
}

/** The regexes of bot.yaml (`raw`, as parsed from YAML) and nlu.yaml (`rawTraining`). */
export function botRegexes(botFile: string, raw: unknown, nluFile: string, rawTraining: unknown): BotRegex[] {
  const found: BotRegex[] = [];
  walk(raw, [], (value, path) => {
    const key = path[path.length - 1];
    const parent = path[path.length - 2];
    if (typeof value === "string" && (key === "textMatches" || (key === "regex" && parent === "validate"))) {
      found.push({ file: botFile, path, source: value, flags: "iu" });
    }
  });
  walk(rawTraining, [], (value, path) => {
    if (typeof value === "string" && path.length === 4 && path[0] === "entities" && path[2] === "regex") {
      found.push({ file: nluFile, path, source: value, flags: "giu" });
    }
  });
  return found;
}

/** One problem per super-linear regex: `bots/shop/nlu.yaml: entities.sku.regex[0]: regex /(a+)+$/ is super-linear …`. */
export function checkBotRegexes(regexes: readonly BotRegex[]): string[] {
  const errors: string[] = [];
  for (const regex of regexes) {
    const verdict = analyseRegexSync(regex.source, regex.flags);
    if (verdict.linear) continue;
    const attack = verdict.attack === undefined ? "" : `; a message like ${verdict.attack} takes time that grows faster than its length`;
    errors.push(
      `${regex.file}: ${formatIssuePath(regex.path)}: ` +
        `regex /${regex.source}/ is super-linear (${verdict.summary})${attack}: rewrite it so no part can match the same text in two ways (e.g. (a+)+ → a+)`,
    );
  }
  return errors;
}
