import type { RequestIdVariables } from "hono/request-id";

/** Bindings and per-request variables every gateway handler sees. */
export interface GatewayHonoEnv {
  Bindings: GatewayEnv;
  Variables: RequestIdVariables;
}
