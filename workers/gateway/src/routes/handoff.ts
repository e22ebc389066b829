import { createRoute, z } from "@hono/zod-openapi";
import { ConversationIdSchema } from "../../../../shared/schemas";
import { requireOperatorKey } from "../auth/require-operator-key";
import { conversationError } from "../conversation-errors";
import { conversationStub } from "../conversation-stub";
import { newRouter } from "../router";
import { errorResponses } from "./openapi-responses";

const handoffRoute = (action: "handoff" | "release", summary: string) =>
  createRoute({
    method: "post",
    path: `/v1/conversations/{id}/${action}`,
    summary,
    security: [{ operatorKey: [] }],
    middleware: [requireOperatorKey] as const,
    request: { params: z.object({ id: ConversationIdSchema }) },
    responses: {
      200: {
        description: "The conversation's handoff state",
        content: { "application/json": { schema: z.object({ id: z.string(), handedOff: z.boolean() }) } },
      },
      401: errorResponses[401],
      404: errorResponses[404],
    },
  });

export const handoffRoutes = newRouter()
  .openapi(handoffRoute("handoff", "Operator: a human takes over; the bot stays silent"), async (c) => {
    const { id } = c.req.valid("param");
    const result = await conversationStub(c.env, id).setHandoff(true);
    if (!result.ok) throw conversationError(result.error);
    return c.json({ id, handedOff: result.handedOff }, 200);
  })
  .openapi(handoffRoute("release", "Operator: give the conversation back to the bot"), async (c) => {
    const { id } = c.req.valid("param");
    const result = await conversationStub(c.env, id).setHandoff(false);
    if (!result.ok) throw conversationError(result.error);
    return c.json({ id, handedOff: result.handedOff }, 200);
  });
