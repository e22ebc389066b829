import { createRoute } from "@hono/zod-openapi";
import { NluParseBodySchema, NluResultSchema } from "../../../../shared/schemas/index.ts";
import { resolveBot } from "../bot-catalog.ts";
import { clientAddress, rateLimit } from "../middleware/rate-limit.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const parse = createRoute({
  method: "post",
  path: "/v1/nlu/parse",
  summary: "Understand one text with a bot's NLU model (debugging and evaluation)",
  middleware: [rateLimit("create", clientAddress)] as const,
  request: { body: { content: { "application/json": { schema: NluParseBodySchema } }, required: true } },
  responses: {
    200: { description: "Intent ranking and entities", content: { "application/json": { schema: NluResultSchema } } },
    400: errorResponses[400],
    413: errorResponses[413],
    415: errorResponses[415],
    429: errorResponses[429],
  },
});

export const nluRoutes = newRouter().openapi(parse, async (c) => {
  const body = c.req.valid("json");
  const bot = resolveBot(body.bot, body.locale);
  // Straight to the intent Worker over RPC: the same engine the queued turns go through.
  const result = await c.env.NLU.parse({ ...body, bot: bot.id });
  return c.json(NluResultSchema.parse(result), 200);
});
