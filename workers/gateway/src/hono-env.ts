import type { RequestIdVariables } from "hono/request-id";

/** Bindings and per-request variables every gateway handler sees. */
export interface GatewayHonoEnv {
  Bindings: GatewayEnv;
  Variables: RequestIdVariables & {
    /** What authorized a conversation route: its own token, or the operator key (read-only). */
    credential?: "conversation" | "operator";
  };
}
