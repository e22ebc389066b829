/**
 * The gateway's consumer of the outbound channel queues (shared/channel-outbound-queue.ts): each
 * batch goes through the sender (sender.ts: order per chat, once, retries, 429 and Retry-After),
 * whose ledger is each chat's conversation object; a copy the sender puts back on the queue goes to
 * the same shard. Their dead-letter queues: a message the queue gave up on is settled as not
 * delivered in its conversation, so the chat's later messages are not held behind it for ever.
 */
import type { ChannelDeliveryLedger } from "../../../../shared/channel-delivery.ts";
import { channelConfig } from "../../../../shared/channel-config.ts";
import { CHANNEL_OUTBOUND_MAX_RETRIES, sendChannelOutbound } from "../../../../shared/channel-outbound-queue.ts";
import { ChannelOutboundMessageSchema } from "../../../../shared/schemas/index.ts";
import { describeZodError } from "../../../../shared/zod-issues.ts";
import { conversationStub } from "../conversation-stub.ts";
import { handleOutboundBatch, type SenderDeps } from "./sender.ts";

const log = (event: Record<string, unknown>): void => console.log(JSON.stringify(event));

/** The sender's ledger: each chat's delivery record, in its conversation object (one synchronous call each). */
export function conversationLedger(env: GatewayEnv): ChannelDeliveryLedger {
  return {
    claim: (conversationId, request) => conversationStub(env, conversationId).claimChannelDelivery(request),
    settle: async (conversationId, seq) => {
      await conversationStub(env, conversationId).settleChannelDelivery(seq);
    },
    release: async (conversationId, seq, lease) => {
      await conversationStub(env, conversationId).releaseChannelDelivery(seq, lease);
    },
  };
}

export async function handleChannelOutbound(batch: MessageBatch<unknown>, env: GatewayEnv, queue: { deadLetter: boolean }): Promise<void> {
  if (queue.deadLetter) return abandonDeadLetters(batch, env);
  const deps: SenderDeps = {
    config: channelConfig(env),
    // Unbound: workerd refuses a fetch invoked as a method of another object.
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    ledger: conversationLedger(env),
    random: () => Math.random(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    newLease: () => crypto.randomUUID(),
    log,
    maxRetries: CHANNEL_OUTBOUND_MAX_RETRIES,
  };
  await handleOutboundBatch(batch.messages, deps, (body, delaySeconds) => sendChannelOutbound(env, body.conversationId, body, delaySeconds));
}

async function abandonDeadLetters(batch: MessageBatch<unknown>, env: GatewayEnv): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = ChannelOutboundMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        log({ event: "channel_outbound_dead_letter", result: "invalid", error: describeZodError(parsed.error) });
        message.ack();
        return;
      }
      const { conversationId, after, items, address } = parsed.data;
      const through = Math.max(...items.map((item) => item.seq));
      try {
        const abandoned = await conversationStub(env, conversationId).abandonChannelDelivery(after, through);
        log({ event: "channel_outbound_dead_letter", channel: address.channel, conversationId, after, through, result: abandoned ? "abandoned" : "already_settled" });
        message.ack();
      } catch (error) {
        log({ event: "channel_outbound_dead_letter", conversationId, result: "error", error: error instanceof Error ? error.message : String(error) });
        message.retry();
      }
    }),
  );
}
