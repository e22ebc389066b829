/**
 * How the gateway knows signed-in users: the settings of user tokens (host-signed JWTs) and of
 * the profiles kept for them. The fields are a shape of their own, in the gateway config's style
 * (shared/gateway-config.ts), so they can be spread into GatewayConfigSchema; until then
 * `userIdentityConfig(env)` parses them from the same env, once per env object.
 *
 * A deployment picks one way its users' tokens are signed:
 * - `USER_TOKEN_SECRET` (a secret of at least 32 characters): HS256, the host site signs with the same secret;
 * - `USER_TOKEN_JWKS_URL`: RS256 or ES256 with the host's published keys (an identity provider's
 *   JWKS). It wins over the secret: a deployment that names its keys accepts nothing else, so a
 *   token signed with HS256 can never be checked against a public key (key confusion).
 * Neither: user tokens are refused (anonymous use is unchanged).
 */
import { z } from "zod";
import { definePlatformEnv, envParser, optionalStringVar, positiveIntVar } from "./env.ts";

/** A JWKS is fetched over HTTPS; plain HTTP only on loopback (local runs and tests). */
const JwksUrlSchema = optionalStringVar().pipe(
  z
    .url()
    .refine((url) => {
      const { protocol, hostname } = new URL(url);
      return protocol === "https:" || (protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(hostname));
    }, "must be an https:// URL (http:// only on localhost)")
    .optional(),
);

/** HS256 needs a key at least as long as its hash (RFC 7518, 3.2): 32 bytes. */
const UserTokenSecretSchema = optionalStringVar().pipe(z.string().min(32, "must be at least 32 characters").optional());

export const USER_IDENTITY_ENV = {
  USER_TOKEN_SECRET: UserTokenSecretSchema,
  USER_TOKEN_JWKS_URL: JwksUrlSchema,
  /** When set, a token's `iss` must be this. */
  USER_TOKEN_ISSUER: optionalStringVar(),
  /** When set, a token's `aud` must include this. */
  USER_TOKEN_AUDIENCE: optionalStringVar(),
  /** The longest a user token may still be valid for when it is presented: short-lived tokens only. */
  STRATUS_USER_TOKEN_MAX_LIFETIME_S: positiveIntVar(86_400),
  /** Days a profile is kept after its user was last seen; then its object erases it. 0 keeps profiles for ever. */
  STRATUS_PROFILE_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(365),
};

export const UserIdentityConfigSchema = definePlatformEnv(USER_IDENTITY_ENV);
export type UserIdentityConfig = z.output<typeof UserIdentityConfigSchema>;

export const userIdentityConfig = envParser(UserIdentityConfigSchema);

/** Clock difference tolerated between the host that signs and the gateway (exp, nbf, iat). */
export const USER_TOKEN_CLOCK_SKEW_S = 30;

/** The algorithms each way of signing accepts; nothing else is ever tried. */
export const USER_TOKEN_ALGORITHMS = { secret: ["HS256"], jwks: ["RS256", "ES256"] } as const;

/** What checking a user token needs, derived from the config. */
export type UserTokenPolicy =
  | { keys: "none" }
  | {
      keys: "secret" | "jwks";
      /** The HS256 secret, or the JWKS URL. */
      source: string;
      algorithms: readonly string[];
      issuer: string | undefined;
      audience: string | undefined;
      maxLifetimeSeconds: number;
      clockSkewSeconds: number;
    };

export function userTokenPolicy(config: UserIdentityConfig): UserTokenPolicy {
  const common = {
    issuer: config.USER_TOKEN_ISSUER,
    audience: config.USER_TOKEN_AUDIENCE,
    maxLifetimeSeconds: config.STRATUS_USER_TOKEN_MAX_LIFETIME_S,
    clockSkewSeconds: USER_TOKEN_CLOCK_SKEW_S,
  };
  if (config.USER_TOKEN_JWKS_URL !== undefined) {
    return { keys: "jwks", source: config.USER_TOKEN_JWKS_URL, algorithms: USER_TOKEN_ALGORITHMS.jwks, ...common };
  }
  if (config.USER_TOKEN_SECRET !== undefined) {
    return { keys: "secret", source: config.USER_TOKEN_SECRET, algorithms: USER_TOKEN_ALGORITHMS.secret, ...common };
  }
  return { keys: "none" };
}
