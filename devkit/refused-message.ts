// A message the stack's gateway refused, as devkit/local-stack.ts reports it: a module of its own so
// that code which only inspects the error (the conversation runner's rate-limit retry) loads no workerd.
import type { z } from "zod";
import { ErrorBodySchema } from "../shared/schemas/conversation.ts";

/** The gateway's JSON error, as its schema reads it. */
type ErrorInfo = z.infer<typeof ErrorBodySchema>["error"];

/** A message the gateway refused: its status and its JSON error (code from shared/errors.ts), when the body is one. */
export class RefusedMessageError extends Error {
  readonly status: number;
  readonly error: ErrorInfo | undefined;

  constructor(message: string, status: number, error: ErrorInfo | undefined) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

/** The gateway's `{"error": {code, message, …}}` in a response's text; undefined for any other body. */
export function errorOfBody(text: string): ErrorInfo | undefined {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.error : undefined;
  } catch {
    return undefined;
  }
}
