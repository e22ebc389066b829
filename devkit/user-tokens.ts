// User tokens for local runs, tests and benchmarks: what a host site's backend does when its user
// is signed in (docs/privacy.md). The deployment checks them with USER_TOKEN_SECRET (HS256), which
// `npm run dev` writes to .dev.vars; the test stack uses USER_TOKEN_SECRET below.
import { SignJWT, type JWTPayload } from "jose";

/** The user-token secret of the test stack (at least 32 characters, as HS256 requires). */
export const USER_TOKEN_SECRET = "test-user-token-secret-0123456789abcdef";

export interface DevUserTokenOptions {
  /** The user's id at the host: 1-128 visible ASCII characters. */
  sub: string;
  /** Default: the test stack's USER_TOKEN_SECRET (or the one in .dev.vars for `npm run dev`). */
  secret?: string;
  /** Seconds until it expires (default 600); negative for an already expired token. */
  expiresInSeconds?: number;
  /** When it was issued (seconds since the epoch); default now. */
  issuedAt?: number;
  issuer?: string;
  audience?: string;
  /** Extra claims a host may add (a name, an e-mail): the gateway reads only `sub`. */
  claims?: JWTPayload;
}

/** A user token signed with HS256, as a host site would sign it for its signed-in user. */
export async function signDevUserToken(options: DevUserTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ ...options.claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(options.sub)
    .setIssuedAt(options.issuedAt ?? now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 600));
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret ?? USER_TOKEN_SECRET));
}
