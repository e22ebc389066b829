// A Worker that runs the channel modules on workerd for workerd.test.ts: the webhook entry point at
// /v1/channels/{channel}/{bot}, and POST /send, which runs the sender on an outbound message (the
// delivery record kept in the isolate's memory) against the platform imitations.
import { channelConfig } from "../../../../shared/channel-config.ts";
import { ledgerOverStore, type ChannelDeliveryRecord } from "../../../../shared/channel-delivery.ts";
import { ChannelNameSchema, ChannelOutboundMessageSchema } from "../../../../shared/schemas/channels.ts";
import { receiveChannelRequest } from "../../src/channels/inbound.ts";
import { deliverOutbound } from "../../src/channels/sender.ts";
import { ApiError } from "../../src/errors.ts";

const records = new Map<string, ChannelDeliveryRecord>();
const ledger = ledgerOverStore({ read: (id) => records.get(id), write: (id, record) => records.set(id, record) });

export default {
  async fetch(request: Request, env: Record<string, unknown>): Promise<Response> {
    const url = new URL(request.url);
    const config = channelConfig(env);
    if (url.pathname === "/send") {
      const message = ChannelOutboundMessageSchema.parse(await request.json());
      const decision = await deliverOutbound(message, 1, {
        config,
        fetch,
        now: Date.now,
        ledger,
        random: Math.random,
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        newLease: () => crypto.randomUUID(),
        log: () => undefined,
      });
      return Response.json(decision);
    }
    const [, , , channel, bot] = url.pathname.split("/");
    try {
      const outcome = await receiveChannelRequest({
        channel: ChannelNameSchema.parse(channel),
        bot: bot ?? "",
        request: { method: request.method, url, headers: request.headers, body: new Uint8Array(await request.arrayBuffer()) },
        config,
        now: Date.now(),
        fetch,
      });
      return Response.json(outcome);
    } catch (error) {
      if (error instanceof ApiError) return Response.json({ error: error.info }, { status: error.status });
      throw error;
    }
  },
};
