import { z } from "@hono/zod-openapi";
import { ErrorBodySchema } from "../../../../shared/schemas/index.ts";

/**
 * Every error's body, one named schema in the document (`#/components/schemas/ErrorBody`): generated
 * clients get one error type. `.meta()` makes a copy first: zod gives a schema the methods its
 * prototype had when the schema was made, and ErrorBodySchema was made before @hono/zod-openapi
 * added `.openapi` (in whichever order the Worker's modules load).
 */
const ErrorBody = ErrorBodySchema.meta({
  description: "An error: its `code` (a stable identifier to branch on), a `message` for people, and for `rate_limited` the seconds to wait",
}).openapi("ErrorBody");

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

/**
 * The error responses routes declare in the OpenAPI document, each route naming the statuses it
 * can return; `test/bad-input/` checks that every status its hostile requests observed on a route
 * is declared there.
 */
const ERROR_RESPONSES = {
  400: errorResponse(
    "Invalid request: a body that is not JSON or not UTF-8 (`invalid_json`), a field out of range or not documented, a query parameter unknown, repeated or malformed (`invalid_request`)",
  ),
  401: errorResponse("Missing or invalid token or operator key"),
  403: errorResponse("Valid credentials that may not do this"),
  404: errorResponse("No such conversation (also for an id that cannot be one), no such dead letter, or no such channel webhook"),
  405: errorResponse("The operation takes no request of this kind here: a messaging channel without a set-up GET"),
  409: errorResponse("Conflict: clientMessageId reused for a different text, or a dead letter that cannot be replayed now"),
  413: errorResponse("Body larger than 64 KiB"),
  415: errorResponse("A body that is not application/json (UTF-8)"),
  422: errorResponse("The NLU could not process this text"),
  426: errorResponse("Not a WebSocket upgrade request"),
  429: {
    ...errorResponse("Rate limit exceeded; the body's `error.retryAfter` repeats the header"),
    headers: z.object({
      "Retry-After": z.string().openapi({ description: "Seconds until the budget is new again", example: "7" }),
    }),
  },
} as const;

type ErrorStatus = keyof typeof ERROR_RESPONSES;

/**
 * Every API route can answer 400 (an unknown or repeated query parameter), 413 and 415 (any request
 * body is size-limited and must be JSON); `pick` adds them to the statuses a route names.
 */
const ALWAYS = [400, 413, 415] as const;

export const errorResponses = {
  /** Exactly these statuses: for the messaging platforms' webhooks, whose bodies are the platforms' own (no JSON rule, so no 415). */
  only<const S extends ErrorStatus>(...statuses: S[]): Pick<typeof ERROR_RESPONSES, S> {
    const picked: Partial<Record<ErrorStatus, (typeof ERROR_RESPONSES)[ErrorStatus]>> = {};
    for (const status of [...statuses].sort((a, b) => a - b)) picked[status] = ERROR_RESPONSES[status];
    return picked as Pick<typeof ERROR_RESPONSES, S>;
  },
  pick<const S extends ErrorStatus>(...statuses: S[]): Pick<typeof ERROR_RESPONSES, S | (typeof ALWAYS)[number]> {
    const picked: Partial<Record<ErrorStatus, (typeof ERROR_RESPONSES)[ErrorStatus]>> = {};
    for (const status of [...ALWAYS, ...statuses].sort((a, b) => a - b)) picked[status] = ERROR_RESPONSES[status];
    return picked as Pick<typeof ERROR_RESPONSES, S | (typeof ALWAYS)[number]>;
  },
};
