import { createRoute } from "@hono/zod-openapi";
import { NluParseBodySchema, NluResultSchema, NoQuerySchema, type NluParseBody, type NluResult } from "../../../../shared/schemas/index.ts";
import { resolveBot } from "../bot-catalog.ts";
import { ApiError } from "../errors.ts";
import { clientAddress, rateLimit } from "../middleware/rate-limit.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const parse = createRoute({
  method: "post",
  path: "/v1/nlu/parse",
  operationId: "parseText",
  summary: "Understand one text with a bot's NLU model (debugging and evaluation)",
  description: "Rate-limited per client address with its own budget (NLU_LIMITER), apart from conversation creation.",
  security: [],
  middleware: [rateLimit("NLU_LIMITER", clientAddress)] as const,
  request: { query: NoQuerySchema, body: { content: { "application/json": { schema: NluParseBodySchema } }, required: true } },
  responses: {
    200: { description: "Intent ranking and entities", content: { "application/json": { schema: NluResultSchema } } },
    ...errorResponses.pick(422, 429),
  },
});

export const nluRoutes = newRouter().openapi(parse, async (c) => {
  const body = c.req.valid("json");
  const bot = resolveBot(body.bot, body.locale);
  // Straight to the intent Worker over RPC: the same engine the queued turns go through.
  return c.json(await understand(c.env, { ...body, bot: bot.id }), 200);
});

/**
 * The intent Worker's answer, checked. A text the NLU fails on, or answers with a result that is not
 * valid (a number that is no number), is that text's problem as far as the client can act on it:
 * 422 `nlu_failed`, never a 500; the failure is logged (without the text) for the developers.
 */
async function understand(env: GatewayEnv, request: NluParseBody & { bot: string }): Promise<NluResult> {
  let raw: unknown;
  try {
    raw = await env.NLU.parse(request);
  } catch (error) {
    console.error(JSON.stringify({ event: "nlu_failed", bot: request.bot, reason: "rpc_error", error: String(error).slice(0, 300) }));
    throw new ApiError("nlu_failed");
  }
  const result = NluResultSchema.safeParse(raw);
  if (!result.success) {
    const paths = result.error.issues.map((issue) => issue.path.join(".")).slice(0, 5);
    console.error(JSON.stringify({ event: "nlu_failed", bot: request.bot, reason: "invalid_result", paths }));
    throw new ApiError("nlu_failed");
  }
  return result.data;
}
