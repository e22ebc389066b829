// `npx stratus init <bot> [--locales en,zh] [--name TEXT]`: a new bot in bots/<bot>/ from the
// template (devkit/bots/scaffold.ts) that validates and passes its conversation tests at once.
import { languageOf } from "../../shared/languages/index.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import { SCAFFOLD_LOCALES, botIdProblem, localesProblem, writeScaffold } from "../../devkit/bots/scaffold.ts";
import { CommandError, EXIT, PROJECT_ROOT, UsageError, parseCommandLine, type Command } from "./command.ts";

const usage = `Usage: npx stratus init <bot> [--locales en,zh] [--name TEXT]

Scaffolds bots/<bot>/ — bot.yaml, nlu.yaml, faq.yaml, nlu-holdout.yaml, tests/basics.yaml — a small
assistant (greeting, FAQ, a contact form, handoff, fallback) that validates and passes its
conversation tests at once. Refuses a folder that exists.

  <bot>            the bot's id: lowercase letters, digits, _ and -, starting with a letter
  --locales LIST   its languages, default first, comma-separated (default: en; available: ${SCAFFOLD_LOCALES.join(", ")})
  --name TEXT      the name users see (default: the id in words)
  -h, --help       this help
`;

export const initCommand: Command = {
  name: "init",
  summary: "scaffold a new bot",
  usage,
  run(args) {
    const parsed = parseCommandLine(args, { locales: { type: "string", default: "en" }, name: { type: "string" } });
    if (parsed === undefined) {
      process.stdout.write(usage);
      return Promise.resolve(EXIT.ok);
    }
    const [id, ...extra] = parsed.positionals;
    if (id === undefined) throw new UsageError("name the bot to create");
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const locales = parsed.values.locales.split(",").map((locale) => locale.trim()).filter((locale) => locale !== "");
    const problem = botIdProblem(id) ?? localesProblem(locales);
    if (problem !== undefined) throw new UsageError(problem);
    let written: string[];
    try {
      written = writeScaffold(PROJECT_ROOT, { id, name: parsed.values.name, locales: locales as Locale[] });
    } catch (error) {
      throw new CommandError((error as Error).message);
    }
    const languages = (locales as Locale[]).map((locale) => languageOf(locale).englishName).join(", ");
    const next: Array<[string, string]> = [
      ["npm run validate", "check it (with every other bot)"],
      [`npx stratus test nlu ${id}`, "score its NLU on nlu-holdout.yaml"],
      [`npm run test:conversations -- --bot ${id}`, "replay tests/basics.yaml on the real Workers"],
      [`npx stratus shell ${id} --start`, "chat with it"],
    ];
    const width = Math.max(...next.map(([command]) => command.length));
    process.stdout.write(
      `Created bots/${id}/ (${languages}):\n${written.map((file) => `  ${file}`).join("\n")}\n\nNext:\n` +
        next.map(([command, what]) => `  ${command.padEnd(width)}  # ${what}\n`).join(""),
    );
    return Promise.resolve(EXIT.ok);
  },
};
