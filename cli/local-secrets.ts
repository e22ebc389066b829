// Local secrets for `wrangler dev`: .dev.vars (git-ignored) is created once with random values.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const REQUIRED = ["TOKEN_SECRET", "OPERATOR_API_KEY", "METRICS_TOKEN"] as const;

/** The NAME="value" lines of a .dev.vars file (empty when there is none). */
export function readDevVars(path = ".dev.vars"): Map<string, string> {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  return new Map(
    existing
      .split("\n")
      .map((line) => /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*"?([^"]*)"?\s*$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1] ?? "", match[2] ?? ""]),
  );
}

/** Makes sure .dev.vars holds every required secret; returns them. */
export function ensureLocalSecrets(path = ".dev.vars"): Record<(typeof REQUIRED)[number], string> {
  const values = readDevVars(path);
  const missing = REQUIRED.filter((name) => !values.get(name));
  if (missing.length > 0) {
    for (const name of missing) values.set(name, randomBytes(24).toString("base64url"));
    writeFileSync(path, [...values].map(([name, value]) => `${name}="${value}"`).join("\n") + "\n");
    console.log(`wrote ${missing.join(", ")} to ${path} (local development only)`);
  }
  const secret = (name: (typeof REQUIRED)[number]): string => values.get(name) ?? "";
  return { TOKEN_SECRET: secret("TOKEN_SECRET"), OPERATOR_API_KEY: secret("OPERATOR_API_KEY"), METRICS_TOKEN: secret("METRICS_TOKEN") };
}
