import type { z } from "zod";

/** One line a person can act on: `text: text is empty; clientMessageId: …`. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/** `["intents", "order_status", "en", 3]` → `intents.order_status.en[3]`; an empty path is `(root)`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let formatted = "";
  for (const key of path) {
    if (typeof key === "number") formatted += `[${key}]`;
    else formatted += formatted === "" ? String(key) : `.${String(key)}`;
  }
  return formatted === "" ? "(root)" : formatted;
}

/**
 * Every issue of a file's validation on its own line as `file: path: message`,
 * e.g. `bots/ecommerce/nlu.yaml: intents.order_status.en[3]: empty example`.
 */
export function describeFileIssues(error: z.ZodError, fileName: string): string {
  return error.issues.map((issue) => `${fileName}: ${formatIssuePath(issue.path)}: ${issue.message}`).join("\n");
}
