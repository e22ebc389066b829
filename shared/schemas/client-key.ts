import { z } from "zod";

/**
 * A client's address as the per-address budgets key it: an HMAC of the address (an IPv6 client's
 * /64), never the address itself. It travels with a socket (its attachment) and a turn (the queue
 * messages) so that budgets counted away from the gateway — WebSocket frames, LLM calls — count the
 * same client, without personal data leaving the request that carried it.
 */
export const ClientKeySchema = z.string().regex(/^[0-9a-f]{16}$/);
export type ClientKey = z.infer<typeof ClientKeySchema>;
