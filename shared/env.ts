/**
 * The platform's own environment: the names it reads, and how a Worker parses its env once.
 *
 * A bot's actions may read env vars (`{env.ORDER_API_URL}`), but only the names the bot declares
 * in `bot.yaml` (`env: [...]`), and never a name the platform itself reads: those are secrets
 * (TOKEN_SECRET, LLM_API_KEY …) or knobs no bot should see. Every Worker builds its env schema with
 * `definePlatformEnv`, which only accepts platform names, so this list cannot fall behind.
 */
import { z } from "zod";

/** Names the platform reads. A new platform var is added here (or takes a reserved prefix). */
export const PLATFORM_ENV_NAMES = [
  "TOKEN_SECRET",
  "OPERATOR_API_KEY",
  "METRICS_TOKEN",
  "TURN_TIMEOUT_MS",
  "MAX_TURN_ATTEMPTS",
  "FAULT_INJECTION",
  "FAULT_THROW_RATE",
  "FAULT_STALL_RATE",
  "FAULT_STALL_MS",
] as const;

/**
 * Whole families reserved for the platform: the LLM fallback's settings, anything STRATUS_*, how
 * signed-in users' tokens are checked (USER_TOKEN_SECRET, USER_TOKEN_JWKS_URL …), the key that signs
 * the user assertions backends receive (ACTION_ASSERTION_KEY), and the messaging channels'
 * credentials (shared/channel-config.ts: SLACK_SIGNING_SECRET, TEAMS_APP_PASSWORD…).
 */
export const PLATFORM_ENV_PREFIXES = ["USER_TOKEN_", "ACTION_ASSERTION_", "LLM_", "STRATUS_", "SLACK_", "TEAMS_", "TELEGRAM_", "WHATSAPP_", "LINE_", "WECHAT_"] as const;

export type PlatformEnvName =
  | (typeof PLATFORM_ENV_NAMES)[number]
  | `${(typeof PLATFORM_ENV_PREFIXES)[number]}${string}`;

export function isPlatformEnvName(name: string): boolean {
  return (
    (PLATFORM_ENV_NAMES as readonly string[]).includes(name) ||
    PLATFORM_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))
  );
}

/** A Worker's env schema: only platform names are accepted as keys (checked by the type system). */
export function definePlatformEnv<
  Shape extends z.ZodRawShape & { [K in keyof Shape]: K extends PlatformEnvName ? z.ZodType : never },
>(shape: Shape): z.ZodObject<Shape> {
  return z.object(shape);
}

/** A var holding a positive whole number, with its default (vars are strings in wrangler.toml). */
export const positiveIntVar = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** A var holding a share of events, 0 to 1 (0.25 = one in four), with its default. */
export const rateVar = (fallback: number) => z.coerce.number().min(0).max(1).default(fallback);

/** A development switch: "on" or "off". */
export const switchVar = (fallback: "on" | "off") => z.enum(["on", "off"]).default(fallback);

/** A secret or setting that may be absent: an empty string counts as absent. */
export const optionalStringVar = () =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

/**
 * Parses a Worker's env with its schema once per env object (the runtime hands an isolate the same
 * object for every request). A bad var fails loudly with the var's name and the problem, never its
 * value: values may be secrets.
 */
export function envParser<Schema extends z.ZodType>(schema: Schema): (env: object) => z.output<Schema> {
  const parsed = new WeakMap<object, z.output<Schema>>();
  return (env) => {
    const cached = parsed.get(env);
    if (cached !== undefined) return cached;
    const result = schema.safeParse(env);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`);
      throw new Error(`invalid Worker configuration: ${problems.join("; ")}`);
    }
    parsed.set(env, result.data);
    return result.data;
  };
}
