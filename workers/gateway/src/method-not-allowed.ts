import type { RouterRoute } from "hono/types";
import { ApiError } from "./errors.ts";

/**
 * For a request no route matched: 405 with `Allow` when its path is a route's under another method
 * (`DELETE /v1/bots`), else 404 `not_found`. The paths come from the router's own table, so they
 * cannot drift from the routes.
 */
export function unmatchedRequestError(routes: readonly RouterRoute[]): (method: string, path: string) => ApiError {
  let table: { pattern: RegExp; methods: Set<string> }[] | undefined;
  return (method, path) => {
    table ??= methodTable(routes);
    const allowed = new Set<string>();
    for (const entry of table) if (entry.pattern.test(path)) for (const m of entry.methods) allowed.add(m);
    if (allowed.size === 0 || allowed.has(method)) return new ApiError("not_found", `no route for ${method} ${path}`);
    if (allowed.has("GET")) allowed.add("HEAD");
    const allow = [...allowed].sort().join(", ");
    return new ApiError("method_not_allowed", `${method} is not allowed on ${path}; it takes ${allow}`, { headers: { Allow: allow } });
  };
}

function methodTable(routes: readonly RouterRoute[]): { pattern: RegExp; methods: Set<string> }[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) {
    // Middleware is registered as ALL on wildcard paths; only real handlers say which methods a path takes.
    if (route.method === "ALL" || route.path.includes("*")) continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method.toUpperCase());
    byPath.set(route.path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: new RegExp(`^${path.split("/").map((part) => (part.startsWith(":") ? "[^/]+" : escapeRegExp(part))).join("/")}$`),
    methods,
  }));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
