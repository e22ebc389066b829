import type { OpenAPIHono } from "@hono/zod-openapi";

/** Where the gateway serves its OpenAPI document (`GET`), and the path clients are generated from. */
export const API_DOCUMENT_PATH = "/v1/openapi.json";

/**
 * The document's own fields; the routes (`routes/*.ts`) give the operations. Clients are generated
 * from it (docs/api.md), so it is linted as a contract (`redocly.yaml`, part of `npm run check`).
 */
export const API_DOCUMENT: Parameters<OpenAPIHono["getOpenAPI31Document"]>[0] = {
  openapi: "3.1.0",
  info: {
    title: "Stratus gateway API",
    version: "1.0.0",
    description: [
      "Conversations with a deployment's bots over HTTP and WebSocket, the operator's handoff and inbox, analytics, dead letters and metrics.",
      "",
      "Every error is an `ErrorBody`, `{ \"error\": { \"code\", \"message\", \"retryAfter\"? } }`; each operation lists the statuses it can answer with. " +
        "A request that no operation matches gets one of two answers, in the same shape: `404` `not_found` (no operation has this path) " +
        "and `405` `method_not_allowed` (the path takes other methods, which the `Allow` header lists).",
    ].join("\n"),
    license: { name: "MIT", url: "https://spdx.org/licenses/MIT.html" },
  },
  servers: [
    { url: "/", description: "The deployment that serves this document" },
    {
      url: "https://{host}",
      description: "A deployment, by the host its gateway Worker answers on",
      variables: {
        host: {
          default: "stratus.your-account.workers.dev",
          description: "The gateway Worker's host: `stratus.<the account's workers.dev subdomain>.workers.dev`, or the custom domain it is routed on",
        },
      },
    },
  ],
};
