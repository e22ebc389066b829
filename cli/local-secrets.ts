// Local secrets for `wrangler dev`: .dev.vars (git-ignored) is created once with random values,
// and a secret added to the platform later is added to an existing file the next time.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/**
 * Each local secret and how a new value is made. USER_TOKEN_SECRET is what a local host site signs
 * user tokens with (HS256, at least 32 characters; devkit/user-tokens.ts); ACTION_ASSERTION_KEY is
 * the dialogue Worker's private P-256 key for the user assertions backends receive
 * (shared/action-assertion.ts), written as base64url of its JWK (.dev.vars values hold no quotes).
 */
const GENERATORS = {
  TOKEN_SECRET: () => randomBytes(24).toString("base64url"),
  OPERATOR_API_KEY: () => randomBytes(24).toString("base64url"),
  METRICS_TOKEN: () => randomBytes(24).toString("base64url"),
  USER_TOKEN_SECRET: () => randomBytes(32).toString("base64url"),
  ACTION_ASSERTION_KEY: () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const jwk = { ...privateKey.export({ format: "jwk" }), kid: `dev-${randomBytes(4).toString("hex")}` };
    return Buffer.from(JSON.stringify(jwk)).toString("base64url");
  },
} as const;

type LocalSecret = keyof typeof GENERATORS;
const REQUIRED = Object.keys(GENERATORS) as LocalSecret[];

/** Makes sure .dev.vars holds every required secret; returns them. */
export function ensureLocalSecrets(path = ".dev.vars"): Record<LocalSecret, string> {
  const existing = existsSync(path) ? readFileSync(path, "utf8") : "";
  const values = new Map(
    existing
      .split("\n")
      .map((line) => /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*"?([^"]*)"?\s*$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1] ?? "", match[2] ?? ""]),
  );
  const missing = REQUIRED.filter((name) => !values.get(name));
  if (missing.length > 0) {
    for (const name of missing) values.set(name, GENERATORS[name]());
    writeFileSync(path, [...values].map(([name, value]) => `${name}="${value}"`).join("\n") + "\n");
    console.log(`wrote ${missing.join(", ")} to ${path} (local development only)`);
  }
  return Object.fromEntries(REQUIRED.map((name) => [name, values.get(name) ?? ""])) as Record<LocalSecret, string>;
}
