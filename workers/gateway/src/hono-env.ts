import type { RequestIdVariables } from "hono/request-id";
import type { ConversationCredential } from "../../../shared/schemas/index.ts";
import type { TraceContext } from "../../../shared/trace-context.ts";

/** Bindings and per-request variables every gateway handler sees. */
export interface GatewayHonoEnv {
  Bindings: GatewayEnv;
  Variables: RequestIdVariables & {
    /** The request's W3C trace context (middleware/trace-context.ts). */
    trace: TraceContext;
    /** What authorized a conversation route: its own token (with its issue time), or the operator key (read-only). */
    credential?: ConversationCredential;
  };
}
