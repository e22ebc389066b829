/**
 * May this user message be appended? The one answer for both ways a user writes: `POST
 * …/messages` (the gateway asks, before it calls the conversation) and a WebSocket frame (the
 * conversation object asks, since it serves the socket). Same schema, same per-conversation and
 * per-address budgets (MESSAGE_LIMITER, ADDRESS_MESSAGE_LIMITER: shared/rate-limits.ts), same errors from the table in
 * shared/errors.ts, so a refused WebSocket frame carries the same retry hint as an HTTP 429.
 */
import type { z } from "zod";
import { failure, type Outcome } from "./errors.ts";
import type { Metrics } from "./metrics/recorder.ts";
import { limiterLabel, takeRateLimit } from "./rate-limits.ts";
import { ClientFrameSchema, PostMessageBodySchema, type PostMessageBody } from "./schemas/index.ts";
import { describeZodError } from "./zod-issues.ts";

/** What each way in validates, and the code it reports invalid input with (the one clients of it know). */
const CHANNELS = {
  http: { schema: PostMessageBodySchema, invalid: "invalid_request" },
  websocket: { schema: ClientFrameSchema, invalid: "invalid_frame" },
} as const satisfies Record<string, { schema: z.ZodType<PostMessageBody>; invalid: "invalid_request" | "invalid_frame" }>;

export type MessageChannel = keyof typeof CHANNELS;

export interface AdmissionGate {
  channel: MessageChannel;
  conversationId: string;
  /** Messages per conversation (MESSAGE_LIMITER). */
  limiter: RateLimit;
  /** Messages per client address across its conversations (ADDRESS_MESSAGE_LIMITER), keyed by `client`. */
  addressLimiter: RateLimit;
  /** The writer's hashed address; without one (a service binding) the address budget is not counted. */
  client: string | undefined;
  /** Where a refusal by the rate limit is counted. */
  metrics: Metrics;
}

/**
 * The message to append (validated, text trimmed), or why it may not be. A WebSocket frame may
 * carry its trace context (`traceparent`); over HTTP it is a header, which the gateway reads.
 */
export async function admitUserMessage(
  candidate: unknown,
  gate: AdmissionGate,
): Promise<Outcome<{ message: PostMessageBody; traceparent: string | undefined }, "invalid_request" | "invalid_frame" | "rate_limited">> {
  const channel = CHANNELS[gate.channel];
  const parsed = channel.schema.safeParse(candidate);
  if (!parsed.success) return failure(channel.invalid, describeZodError(parsed.error));
  const budget = await takeRateLimit(gate.limiter, "MESSAGE_LIMITER", gate.conversationId);
  if (!budget.ok) {
    gate.metrics.count("stratus_rate_limited_total", { channel: gate.channel, limiter: limiterLabel("MESSAGE_LIMITER") });
    return budget;
  }
  if (gate.client !== undefined) {
    const addressBudget = await takeRateLimit(gate.addressLimiter, "ADDRESS_MESSAGE_LIMITER", gate.client);
    if (!addressBudget.ok) {
      gate.metrics.count("stratus_rate_limited_total", { channel: gate.channel, limiter: limiterLabel("ADDRESS_MESSAGE_LIMITER") });
      return addressBudget;
    }
  }
  const traceparent = "traceparent" in parsed.data && typeof parsed.data.traceparent === "string" ? parsed.data.traceparent : undefined;
  return { ok: true, message: { text: parsed.data.text, clientMessageId: parsed.data.clientMessageId }, traceparent };
}
