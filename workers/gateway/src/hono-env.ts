import type { RequestIdVariables } from "hono/request-id";
import type { TraceVariables } from "./middleware/trace-context.ts";

/** Bindings and per-request variables every gateway handler sees. */
export interface GatewayHonoEnv {
  Bindings: GatewayEnv;
  Variables: RequestIdVariables & TraceVariables;
}
