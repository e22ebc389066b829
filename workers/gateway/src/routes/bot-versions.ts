import { createRoute, z } from "@hono/zod-openapi";
import { botDocumentText } from "../../../../shared/bots/bot-document.ts";
import {
  BotDocumentSchema,
  BotParamsSchema,
  BotVersionListSchema,
  ErrorBodySchema,
  MAX_BOT_DOCUMENT_BYTES,
  NoQuerySchema,
  PublishQuerySchema,
  PublishedBotSchema,
  ReleaseBodySchema,
  ReleasedSchema,
  type BotCatalogEntry,
} from "../../../../shared/schemas/index.ts";
import { requireOperatorKey } from "../auth/require-operator-key.ts";
import { botCatalog } from "../bot-catalog.ts";
import { listBotVersions, publishBotVersion, releaseBotVersion, resolveVersion, versionDocument } from "../bot-versions.ts";
import { ApiError } from "../errors.ts";
import { botDocumentBody, botDocumentLimit } from "../middleware/bot-document-body.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

/** The document as JSON Schema for the OpenAPI document: the route parses and checks the body itself (YAML or JSON), so no validator is attached. */
const { $schema: _draft, ...documentJsonSchema } = z.toJSONSchema(BotDocumentSchema, { io: "input" });
const documentContent = { schema: documentJsonSchema as Record<string, unknown> };
const errorContent = { "application/json": { schema: ErrorBodySchema } };

const VersionParamsSchema = BotParamsSchema.extend({
  version: z.string().regex(/^(?:[1-9]\d{0,15}|[0-9a-f]{64})$/).openapi({ description: "The version's number, or its content hash", example: "2" }),
});

const publishBot = createRoute({
  method: "put",
  path: "/v1/bots/{bot}",
  operationId: "publishBotVersion",
  summary: "Operator: publish a new version of a bot",
  description:
    "The bot's files as one document (YAML or JSON; `npx stratus push` sends one), checked exactly as `npm run validate` checks a bot " +
    "folder. Its NLU is trained and the version stored under its content hash; it serves no conversation until it is released " +
    "(`POST /v1/bots/{bot}/release`). A bot with problems gets 422 `invalid_bot` with every problem in `error.problems`, and nothing " +
    "changes. A version's locales, default locale and residency are the deployment's (they change with a deploy). `?note=` is kept with it.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey, botDocumentLimit, botDocumentBody] as const,
  request: {
    params: BotParamsSchema,
    query: PublishQuerySchema,
    body: { required: true, content: { "application/yaml": documentContent, "application/json": documentContent } },
  },
  responses: {
    200: { description: "A version already holds this document (the built-in one included); nothing was stored", content: { "application/json": { schema: PublishedBotSchema } } },
    201: { description: "Published as a new version", content: { "application/json": { schema: PublishedBotSchema } } },
    ...errorResponses.pick(401),
    404: { description: "The deployment serves no bot of that id (`bot_not_found`): a new bot comes with a deploy", content: errorContent },
    413: { description: `Document larger than ${MAX_BOT_DOCUMENT_BYTES / 1024 / 1024} MiB`, content: errorContent },
    415: { description: "A body that is not application/yaml or application/json (UTF-8)", content: errorContent },
    422: { description: "The bot has problems (`invalid_bot`): `error.problems` lists each as `npm run validate` prints it", content: errorContent },
  },
});

const listVersions = createRoute({
  method: "get",
  path: "/v1/bots/{bot}/versions",
  operationId: "listBotVersions",
  summary: "Operator: a bot's versions, newest first, with the current one and the canary",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: BotParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "The versions (the built-in version 1 last) and the release", content: { "application/json": { schema: BotVersionListSchema } } },
    ...errorResponses.pick(401),
    404: { description: "The deployment serves no bot of that id (`bot_not_found`)", content: errorContent },
  },
});

const getVersion = createRoute({
  method: "get",
  path: "/v1/bots/{bot}/versions/{version}",
  operationId: "getBotVersion",
  summary: "Operator: a version's document as it was published, in the form PUT takes",
  description: "JSON, or YAML with `Accept: application/yaml`. Edit it and `PUT` it back to publish a new version.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: VersionParamsSchema, query: NoQuerySchema },
  responses: {
    200: { description: "The bot document", content: { "application/json": documentContent, "application/yaml": documentContent } },
    ...errorResponses.pick(401),
    404: { description: "No such bot (`bot_not_found`) or version (`version_not_found`)", content: errorContent },
  },
});

const release = createRoute({
  method: "post",
  path: "/v1/bots/{bot}/release",
  operationId: "releaseBotVersion",
  summary: "Operator: choose the version new conversations start on, or a canary for a share of them",
  description:
    "`{ version }` makes it current: every new conversation starts on it (rolling back is releasing an older version). " +
    "`{ version, percent }` makes it a canary for that share of new conversations, by a stable hash of their id. " +
    "Running conversations keep the version they started on. `version` is a number or a content hash.",
  security: [{ operatorKey: [] }],
  middleware: [requireOperatorKey] as const,
  request: { params: BotParamsSchema, query: NoQuerySchema, body: { required: true, content: { "application/json": { schema: ReleaseBodySchema } } } },
  responses: {
    200: { description: "The bot's release now", content: { "application/json": { schema: ReleasedSchema } } },
    ...errorResponses.pick(401),
    404: { description: "No such bot (`bot_not_found`) or version (`version_not_found`)", content: errorContent },
  },
});

/** A bot this deployment serves; 404 `bot_not_found` otherwise (a new bot comes with a deploy). */
function servedBot(id: string): BotCatalogEntry {
  const bot = botCatalog.bots.find((entry) => entry.id === id);
  if (!bot) throw new ApiError("bot_not_found", `this deployment serves no bot "${id}" (it serves ${botCatalog.bots.map((entry) => entry.id).join(", ")}); a new bot comes with a deploy`);
  return bot;
}

const wantsYaml = (accept: string | undefined) => /\b(?:application|text)\/(?:x-)?yaml\b/i.test(accept ?? "");

export const botVersionRoutes = newRouter()
  .openapi(publishBot, async (c) => {
    const bot = servedBot(c.req.valid("param").bot);
    const { note } = c.req.valid("query");
    const published = await publishBotVersion(c.env, bot, await c.req.text(), note ?? null);
    return c.json(published, published.created ? 201 : 200);
  })
  .openapi(listVersions, async (c) => {
    const bot = servedBot(c.req.valid("param").bot);
    c.header("Cache-Control", "no-store");
    return c.json(await listBotVersions(c.env, bot.id), 200);
  })
  .openapi(getVersion, async (c) => {
    const { bot: id, version: ref } = c.req.valid("param");
    const bot = servedBot(id);
    const version = await resolveVersion(c.env, bot.id, /^\d+$/.test(ref) ? Number(ref) : ref);
    const document = await versionDocument(c.env, bot.id, version);
    c.header("X-Bot-Version", String(version));
    if (wantsYaml(c.req.header("Accept"))) return c.body(botDocumentText(document), 200, { "Content-Type": "application/yaml; charset=utf-8" });
    return c.json(document, 200);
  })
  .openapi(release, async (c) => {
    const bot = servedBot(c.req.valid("param").bot);
    const { version, percent } = c.req.valid("json");
    const released = await releaseBotVersion(c.env, bot.id, version, percent);
    return c.json({ bot: bot.id, ...released }, 200);
  });
