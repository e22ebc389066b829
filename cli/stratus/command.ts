// What every `npx stratus` command shares: its description, its exit codes, and how a bad command
// line or a failure becomes a message on stderr and an exit code.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { fileURLToPath } from "node:url";

/** The Stratus project the CLI belongs to (where bots/, the Workers' configs and package.json are). */
export const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export const EXIT = {
  ok: 0,
  /** The command ran and what it checked or did failed (a test, the server's answer, a deploy step). */
  failed: 1,
  /** The command line was wrong: nothing was done. */
  usage: 2,
} as const;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The full help text (`npx stratus <command> --help`). */
  usage: string;
  /** The exit code. Throws UsageError for a bad command line, CommandError for a failure to report. */
  run(args: string[]): Promise<number>;
}

/** A wrong command line: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

/** A failure the user can act on: its message is printed as it is (no stack), exit 1. */
export class CommandError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * parseArgs, strict; an unknown option or a missing value is a UsageError naming it. Returns
 * undefined when help was asked for with `--help` or `-h` (the caller prints its usage), which every
 * command takes, before any other argument is checked.
 */
export function parseCommandLine<O extends Options>(args: string[], options: O) {
  if (args.includes("--help") || args.includes("-h")) return undefined;
  try {
    const parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
    return parsed;
  } catch (error) {
    if (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) throw new UsageError(error.message);
    throw error;
  }
}

/** A whole number from an option, within bounds, or a UsageError naming the option. */
export function integerOption(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^-?\d+$/.test(value) || number < min || number > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}"`);
  return number;
}
