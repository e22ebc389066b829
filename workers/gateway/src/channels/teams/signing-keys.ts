/**
 * The Bot Framework's signing keys, found the documented way
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication):
 * the OpenID metadata document names the key set (`jwks_uri`), whose keys carry `endorsements`, the
 * channels each may sign for. Both documents are cached together for a TTL (the keys change rarely;
 * the SDKs cache them for days); a token signed with a key the cache does not know refreshes it, at
 * most once per REFRESH_COOLDOWN_MS, so requests with made-up key ids cannot make the gateway fetch
 * on every request.
 */
import type { z } from "zod";
import { BotFrameworkJwksSchema, OpenIdMetadataSchema } from "../../../../../shared/schemas/channels.ts";
import { describeZodError } from "../../../../../shared/zod-issues.ts";

export const SIGNING_KEYS_TTL_MS = 24 * 60 * 60 * 1000;
export const REFRESH_COOLDOWN_MS = 5 * 60 * 1000;

export type BotFrameworkJwk = z.infer<typeof BotFrameworkJwksSchema>["keys"][number];

export interface SigningKeySet {
  /** The algorithms the metadata document allows (RS256 for the Bot Framework). */
  algorithms: string[];
  keys: Map<string, BotFrameworkJwk>;
  fetchedAt: number;
}

async function fetchJson<Schema extends z.ZodType>(fetcher: typeof fetch, url: string, schema: Schema, what: string): Promise<z.output<Schema>> {
  const response = await fetcher(url, { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`the Bot Framework ${what} (${url}) answered ${response.status}`);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`the Bot Framework ${what} (${url}) is not valid: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export class BotFrameworkSigningKeys {
  private readonly sets = new Map<string, Promise<SigningKeySet>>();

  constructor(private readonly ttlMs: number = SIGNING_KEYS_TTL_MS) {}

  /** The key `kid` of the key set the metadata document at `metadataUrl` names, or undefined. */
  async key(metadataUrl: string, kid: string, now: number, fetcher: typeof fetch): Promise<{ jwk: BotFrameworkJwk; algorithms: string[] } | undefined> {
    let set = await this.current(metadataUrl, now, fetcher);
    let jwk = set.keys.get(kid);
    if (jwk === undefined && now - set.fetchedAt >= REFRESH_COOLDOWN_MS) {
      set = await this.load(metadataUrl, now, fetcher);
      jwk = set.keys.get(kid);
    }
    return jwk === undefined ? undefined : { jwk, algorithms: set.algorithms };
  }

  private async current(metadataUrl: string, now: number, fetcher: typeof fetch): Promise<SigningKeySet> {
    const cached = this.sets.get(metadataUrl);
    if (cached !== undefined) {
      const set = await cached.catch(() => undefined);
      if (set !== undefined && now - set.fetchedAt < this.ttlMs) return set;
    }
    return this.load(metadataUrl, now, fetcher);
  }

  private load(metadataUrl: string, now: number, fetcher: typeof fetch): Promise<SigningKeySet> {
    const loading = (async (): Promise<SigningKeySet> => {
      const metadata = await fetchJson(fetcher, metadataUrl, OpenIdMetadataSchema, "OpenID metadata");
      const jwks = await fetchJson(fetcher, metadata.jwks_uri, BotFrameworkJwksSchema, "signing key set");
      return {
        algorithms: metadata.id_token_signing_alg_values_supported ?? ["RS256"],
        keys: new Map(jwks.keys.map((key) => [key.kid, key])),
        fetchedAt: now,
      };
    })();
    this.sets.set(metadataUrl, loading);
    // A failed load is not cached: the next request tries again.
    loading.catch(() => {
      if (this.sets.get(metadataUrl) === loading) this.sets.delete(metadataUrl);
    });
    return loading;
  }
}

/** The isolate's cache: one per isolate, shared by its requests. */
export const botFrameworkSigningKeys = new BotFrameworkSigningKeys();
