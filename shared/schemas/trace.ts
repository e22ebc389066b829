import { z } from "zod";
import { formatTraceparent, parseTraceparent } from "../trace-context.ts";

/**
 * A W3C `traceparent` inside a message (a queue body, a client frame). A malformed one is dropped
 * — the message goes on without it — rather than failing the message it travels in.
 */
export const TraceparentFieldSchema = z
  .unknown()
  .transform((value) => {
    const parsed = typeof value === "string" ? parseTraceparent(value) : undefined;
    return parsed ? formatTraceparent(parsed) : undefined;
  })
  .optional();
