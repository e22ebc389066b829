import { isPlatformEnvName } from "../../../../shared/env.ts";

/**
 * The vars a bot's templates can read as `{env.NAME}`: only the names it declares (`env:` in
 * bot.yaml), and never a platform setting, even if a definition somehow declared one (the bot
 * schema already refuses them). A name that is unset or empty is absent.
 */
export function visibleEnv(declared: readonly string[], vars: Readonly<Record<string, string | undefined>>): ReadonlyMap<string, string> {
  const visible = new Map<string, string>();
  for (const name of declared) {
    if (isPlatformEnvName(name) || !Object.hasOwn(vars, name)) continue;
    const value = vars[name];
    if (value !== undefined && value !== "") visible.set(name, value);
  }
  return visible;
}
