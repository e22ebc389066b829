/**
 * `{name}` templates. Names are slot names, `bot_name`, or (in actions only) `env.NAME`.
 * Shared: the dialogue engine renders them, and the bot checks (shared/bots/references.ts) read
 * the variables a template uses, in Node (npm run validate) and in the gateway (PUT /v1/bots/{bot}).
 */
const VARIABLE = /\{([A-Za-z][A-Za-z0-9_.-]*)\}/g;

/** The variables a template uses, in order of appearance, without duplicates. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) names.add(match[1] ?? "");
  return [...names];
}

/** Replaces each `{name}` by `lookup(name)`; an unknown name renders as the empty string. */
export function renderTemplate(template: string, lookup: (name: string) => string | undefined): string {
  return template.replace(VARIABLE, (_whole, name: string) => lookup(name) ?? "");
}

/** If the whole template is one variable (`"{amount}"`), its name: JSON bodies keep that value's type. */
export function soleVariable(template: string): string | undefined {
  const match = /^\{([A-Za-z][A-Za-z0-9_.-]*)\}$/.exec(template);
  return match?.[1];
}
