import { ErrorBodySchema } from "../../../../shared/schemas/index.ts";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBodySchema } },
});

/** The error responses routes declare in the OpenAPI document. */
export const errorResponses = {
  400: errorResponse("Invalid request: malformed JSON, or a field out of range"),
  401: errorResponse("Missing or invalid token"),
  404: errorResponse("No such conversation"),
  409: errorResponse("clientMessageId reused for a different text"),
  413: errorResponse("Body larger than 64 KiB"),
  415: errorResponse("Body is not application/json"),
  429: errorResponse("Rate limit exceeded"),
} as const;
