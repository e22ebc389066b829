/**
 * The gateway Worker's configuration: its HTTP API and the conversation Durable Objects it hosts
 * read the same env. Parsed once per env object; the defaults live here and nowhere else (the
 * vars are optional in wrangler.toml).
 */
import { z } from "zod";
import { ACTION_ASSERTION_ENV } from "./action-assertion.ts";
import { definePlatformEnv, envParser, positiveIntVar } from "./env.ts";
import { USER_IDENTITY_ENV } from "./user-identity-config.ts";

export const GatewayConfigSchema = definePlatformEnv({
  /** Signs conversation tokens and socket tickets (HMAC-SHA256). */
  TOKEN_SECRET: z.string().min(1),
  /**
   * How long a conversation token is accepted after it was issued (default 7 days). Clients renew it
   * while the conversation is in use (`POST /v1/conversations/{id}/token`), so only an abandoned
   * token runs out.
   */
  STRATUS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(365 * 86_400).default(7 * 86_400),
  /** The most messages (user, bot and agent) one conversation may hold; a user message past it is refused (409 conversation_full). */
  STRATUS_MAX_CONVERSATION_MESSAGES: positiveIntVar(2_000),
  /** The most bytes of stored messages (UTF-8, as stored: text and what it carries) one conversation may hold, with the same refusal. */
  STRATUS_MAX_CONVERSATION_BYTES: positiveIntVar(1_000_000),
  /** Authorizes the operator endpoints (handoff, release, agent messages, dead letters). */
  OPERATOR_API_KEY: z.string().min(1),
  /** Authorizes GET /metrics: the bearer token Prometheus scrapes with. */
  METRICS_TOKEN: z.string().min(1),
  /** How long a dispatched turn may take before the watchdog sends it again. */
  TURN_TIMEOUT_MS: positiveIntVar(15_000),
  /** Dispatches a turn gets before the user receives the pipeline fallback. */
  MAX_TURN_ATTEMPTS: positiveIntVar(3),
  /**
   * How often, at most, a bot's reply refreshes its conversation's entry in the bot's directory (the
   * operator inbox's list); changes the inbox acts on are sent at once (durable-objects/conversation/directory-refresh.ts).
   */
  STRATUS_DIRECTORY_REFRESH_MS: positiveIntVar(10_000),
  /**
   * How many objects each bot's analytics, each bot's conversation directory, and the dead-letter
   * registry are spread over, by conversation id (docs/scaling.md): set for a deployment's traffic
   * (`npm run plan` says how many), and only ever grown — a conversation's entry and reports stay in
   * the shard its id hashed to when they were written.
   */
  STRATUS_ANALYTICS_SHARDS: z.coerce.number().int().min(1).max(256).default(1),
  STRATUS_DIRECTORY_SHARDS: z.coerce.number().int().min(1).max(256).default(1),
  STRATUS_DEAD_LETTER_SHARDS: z.coerce.number().int().min(1).max(99).default(1),
  /**
   * Days a conversation is kept after its last message; then its object deletes everything it
   * stored (transcript, state, turns) and its directory entry. 0 keeps conversations for ever.
   */
  STRATUS_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Signed-in users (docs/privacy.md): how user tokens are checked, how long profiles are kept. */
  ...USER_IDENTITY_ENV,
  /** The user assertions' signing key, whose public half the gateway publishes (the dialogue Worker signs with it). */
  ...ACTION_ASSERTION_ENV,
});
export type GatewayConfig = z.output<typeof GatewayConfigSchema>;

export const gatewayConfig = envParser(GatewayConfigSchema);
