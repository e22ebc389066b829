import type { z } from "zod";

/** One line a person can act on: `text: text is empty; clientMessageId: …`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
