// Runs the real Stratus Workers on workerd for tests, benchmarks and the conversation-test CLI: the
// gateway (with the conversation Durable Object), the intent and dialogue Workers, their queues, the
// metrics Worker,
// from the same wrangler.toml files that `npm run dev` and `wrangler deploy` use, with two queue
// shards per stage (devkit/queue-shard-configs.ts). Callers talk to it over real HTTP and WebSockets.
import { createTestHarness } from "wrangler";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { NO_LOCAL_TRACES } from "./local-traces.ts";
import { LOCAL_QUEUE_SHARDS, writeShardedConfigs, type ShardCounts } from "./queue-shard-configs.ts";
import type { Conversation, Message } from "../shared/schemas/index.ts";
import { errorOfBody, RefusedMessageError } from "./refused-message.ts";
import { signConversationToken, type IssuedConversationToken } from "../workers/gateway/src/auth/conversation-token.ts";
import { TEST_ACTION_ASSERTION_KEY } from "./action-keys.ts";
import { USER_TOKEN_SECRET } from "./user-tokens.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const TOKEN_SECRET = "test-token-secret";
export const OPERATOR_API_KEY = "test-operator-key";
export const METRICS_TOKEN = "test-metrics-token";

export interface StratusOptions {
  /** Var overrides per Worker (e.g. a short TURN_TIMEOUT_MS for watchdog tests). */
  gatewayVars?: Record<string, string>;
  intentVars?: Record<string, string>;
  dialogueVars?: Record<string, string>;
  /** Secrets the gateway gets besides its three (e.g. the messaging channels' credentials: devkit/channels.ts). */
  gatewaySecrets?: Record<string, string>;
  /** Vars every Worker gets (e.g. STRATUS_METRICS_FLUSH_MS), under the per-Worker ones. */
  allVars?: Record<string, string>;
  /** Queue shards per stage (default two each). */
  queueShards?: ShardCounts;
}

/** A conversation as POST /v1/conversations returns it (id + token are what tests use). */
export type ConversationHandle = Pick<Conversation, "id" | "token" | "bot" | "locale">;

/** A transcript message (user, bot or agent) as the API returns it. */
export type Reply = Message;

export interface Stratus {
  url: string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  createConversation(body?: Record<string, unknown>): Promise<ConversationHandle>;
  /** Sends a message with ?wait and returns the bot's replies (throws unless answered in time; a refusal as RefusedMessageError). */
  say(conversation: ConversationHandle, text: string, waitSeconds?: number): Promise<{ message: Reply; replies: Reply[] }>;
  /** The conversation's dialogue state (slots, active form) as GET /v1/conversations/:id reports it. */
  dialogueState(conversation: ConversationHandle): Promise<{ slots: Record<string, unknown>; activeForm: unknown }>;
  /** A valid token for any id (an hour long): lets tests reach conversations that were never created. */
  tokenFor(conversationId: string): Promise<IssuedConversationToken>;
  /** GET /metrics with the metrics token: the Prometheus text of the whole stack. */
  metrics(): Promise<string>;
  /** What the Workers logged so far (console lines and runtime messages such as uncaught exceptions). */
  runtimeLogs(): { level: string; message: string }[];
  close(): Promise<void>;
}

export async function startStratus(options: StratusOptions = {}): Promise<Stratus> {
  // Wrangler's local trace collector (devkit/local-traces.ts) off, as in production, where nothing of
  // the kind runs beside the Workers, unless this process's env says otherwise: wrangler reads it from there.
  for (const [name, value] of Object.entries(NO_LOCAL_TRACES)) process.env[name] ??= value;
  const configs = writeShardedConfigs(options.queueShards ?? LOCAL_QUEUE_SHARDS);
  const [gateway, intent, dialogue, metrics] = configs.paths as [string, string, string, string];
  const server = createTestHarness({
    root: ROOT,
    workers: [
      {
        configPath: gateway,
        // Signed-in users: user tokens signed with USER_TOKEN_SECRET (devkit/user-tokens.ts), assertions published.
        secrets: { ...options.gatewaySecrets, TOKEN_SECRET, OPERATOR_API_KEY, METRICS_TOKEN, USER_TOKEN_SECRET, ACTION_ASSERTION_KEY: TEST_ACTION_ASSERTION_KEY },
        vars: { ...options.allVars, ...options.gatewayVars },
      },
      { configPath: intent, vars: { FAULT_INJECTION: "on", ...options.allVars, ...options.intentVars } },
      { configPath: dialogue, secrets: { ACTION_ASSERTION_KEY: TEST_ACTION_ASSERTION_KEY }, vars: { FAULT_INJECTION: "on", ...options.allVars, ...options.dialogueVars } },
      { configPath: metrics, vars: { ...options.allVars } },
    ],
  });
  const { url } = await server.listen();
  const base = url.toString().replace(/\/$/, "");

  const stratusFetch = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init);

  return {
    url: base,
    fetch: stratusFetch,
    async createConversation(body = {}) {
      const response = await stratusFetch("/v1/conversations", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`create conversation: ${response.status} ${await response.text()}`);
      return (await response.json()) as ConversationHandle;
    },
    async say(conversation, text, waitSeconds = 20) {
      const response = await stratusFetch(`/v1/conversations/${conversation.id}/messages?wait=${waitSeconds}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}` },
        body: JSON.stringify({ text }),
      });
      if (response.status !== 200) {
        const body = await response.text();
        throw new RefusedMessageError(`say "${text}": ${response.status} ${body}`, response.status, errorOfBody(body));
      }
      return (await response.json()) as { message: Reply; replies: Reply[] };
    },
    async dialogueState(conversation) {
      const response = await stratusFetch(`/v1/conversations/${conversation.id}`, {
        headers: { Authorization: `Bearer ${conversation.token}` },
      });
      if (response.status !== 200) throw new Error(`conversation state: ${response.status} ${await response.text()}`);
      return ((await response.json()) as { state: { slots: Record<string, unknown>; activeForm: unknown } }).state;
    },
    tokenFor: (conversationId) => signConversationToken(TOKEN_SECRET, conversationId, 3600),
    async metrics() {
      const response = await stratusFetch("/metrics", { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      if (response.status !== 200) throw new Error(`metrics: ${response.status} ${await response.text()}`);
      return response.text();
    },
    runtimeLogs: () => server.getLogs().map(({ level, message }) => ({ level, message })),
    close: async () => {
      await server.close();
      rmSync(configs.dir, { recursive: true, force: true });
    },
  };
}
