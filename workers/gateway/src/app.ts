import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { allowRouteTemplates } from "../../../shared/metrics/isolate.ts";
import { MAX_REQUEST_BYTES } from "../../../shared/schemas/index.ts";
import { API_DOCUMENT, API_DOCUMENT_PATH } from "./api-document.ts";
import { ApiError, onError } from "./errors.ts";
import type { GatewayHonoEnv } from "./hono-env.ts";
import { unmatchedRequestError } from "./method-not-allowed.ts";
import { takesBotDocument } from "./middleware/bot-document-body.ts";
import { httpMetrics } from "./middleware/http-metrics.ts";
import { requireJsonBody } from "./middleware/json-body.ts";
import { traceContext } from "./middleware/trace-context.ts";
import { newRouter } from "./router.ts";
import { analyticsRoutes } from "./routes/analytics.ts";
import { botRoutes } from "./routes/bots.ts";
import { botVersionRoutes } from "./routes/bot-versions.ts";
import { CHANNEL_SECURITY_SCHEMES, channelRoutes, isChannelWebhook } from "./routes/channels.ts";
import { conversationAccessRoutes } from "./routes/conversation-access.ts";
import { conversationRoutes } from "./routes/conversations.ts";
import { deadLetterRoutes } from "./routes/dead-letters.ts";
import { operatorConversationRoutes } from "./routes/operator-conversations.ts";
import { operatorRoutes } from "./routes/operator.ts";
import { healthRoutes } from "./routes/health.ts";
import { messageRoutes } from "./routes/messages.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { nluRoutes } from "./routes/nlu.ts";
import { websocketRoutes } from "./routes/websocket.ts";
import { actionKeyRoutes } from "./routes/action-keys.ts";
import { userRoutes } from "./routes/users.ts";

/** `middleware`, except for the requests `skip` says. */
const unless =
  (skip: (c: Context) => boolean, middleware: MiddlewareHandler<GatewayHonoEnv>): MiddlewareHandler<GatewayHonoEnv> =>
  (c, next) =>
    skip(c) ? next() : middleware(c, next);

/** The gateway's HTTP API (v1). The chat page at "/" is served from web/ as static assets. */
export const app = newRouter();

app.use("*", httpMetrics);
app.use("*", traceContext);
// The request id is the trace id, unless the client sends its own X-Request-Id.
app.use("*", requestId({ generator: (c: Context<GatewayHonoEnv>) => c.get("trace").traceId }));
// Browsers on other origins (the embedded widget) may send a trace context and must be able to read
// a 429's Retry-After and the trace id the gateway answers with.
app.use(
  "/v1/*",
  cors({
    origin: "*",
    allowHeaders: ["Authorization", "Content-Type", "traceparent", "tracestate", "X-Request-Id"],
    exposeHeaders: ["Retry-After", "X-Request-Id"],
    maxAge: 600,
  }),
);
// Every body is small JSON, but a bot document (PUT /v1/bots/{bot}), which its route limits and checks itself.
app.use(
  "/v1/*",
  unless(
    takesBotDocument,
    bodyLimit({
      maxSize: MAX_REQUEST_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `request body is larger than ${MAX_REQUEST_BYTES} bytes`);
      },
    }),
  ),
);
// The messaging platforms' webhooks take their platform's body (a Slack form, WeChat XML), checked by its signature.
app.use("/v1/*", unless((c) => takesBotDocument(c) || isChannelWebhook(c.req.path), requireJsonBody));

app.route("/", healthRoutes);
app.route("/", botRoutes);
app.route("/", botVersionRoutes);
app.route("/", conversationRoutes);
app.route("/", conversationAccessRoutes);
app.route("/", messageRoutes);
app.route("/", websocketRoutes);
app.route("/", operatorRoutes);
app.route("/", operatorConversationRoutes);
app.route("/", nluRoutes);
app.route("/", analyticsRoutes);
app.route("/", deadLetterRoutes);
app.route("/", metricsRoutes);
app.route("/", userRoutes);
app.route("/", actionKeyRoutes);
app.route("/", channelRoutes);

app.openAPIRegistry.registerComponent("securitySchemes", "conversationToken", { type: "http", scheme: "bearer" });
app.openAPIRegistry.registerComponent("securitySchemes", "operatorKey", { type: "http", scheme: "bearer" });
app.openAPIRegistry.registerComponent("securitySchemes", "metricsToken", { type: "http", scheme: "bearer" });
app.openAPIRegistry.registerComponent("securitySchemes", "userToken", {
  type: "http",
  scheme: "bearer",
  bearerFormat: "JWT",
  description: "A signed-in user's token: a short-lived JWT the host site signs for its user (docs/privacy.md)",
});
app.openAPIRegistry.registerComponent("securitySchemes", "socketTicket", {
  type: "apiKey",
  in: "header",
  name: "Sec-WebSocket-Protocol",
  description: "`stratus.v1, stratus.ticket.<ticket>`, with a ticket from POST /v1/conversations/{id}/socket-tickets",
});
for (const [name, scheme] of Object.entries(CHANNEL_SECURITY_SCHEMES)) app.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
app.doc31(API_DOCUMENT_PATH, API_DOCUMENT);

const unmatched = unmatchedRequestError(app.routes);
app.notFound((c) => onError(unmatched(c.req.method, c.req.path), c));
app.onError(onError);

// The route label of the HTTP metrics takes these templates and nothing else.
allowRouteTemplates(app.routes);
