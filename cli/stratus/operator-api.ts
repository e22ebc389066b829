// The deployment `push` and `release` talk to, and their requests to its operator API: the base
// URL (--url, STRATUS_URL, else the local stack), the operator key (STRATUS_OPERATOR_API_KEY, --key,
// or for the local stack the one `npm run dev` wrote to .dev.vars), and an answer's error as the
// message to print.
import { join } from "node:path";
import type { z } from "zod";
import { BotVersionsErrorSchema } from "../../shared/schemas/bot-versions.ts";
import { readDevVars } from "../local-secrets.ts";
import { CommandError, PROJECT_ROOT, UsageError } from "./command.ts";

export const LOCAL_URL = "http://localhost:8787";

export const DEPLOYMENT_OPTIONS = {
  url: { type: "string" },
  key: { type: "string" },
} as const;

export const DEPLOYMENT_USAGE = `  --url URL        the deployment's gateway (default: $STRATUS_URL, else ${LOCAL_URL}, the local stack)
  --key KEY        the operator key (default: $STRATUS_OPERATOR_API_KEY; for a local stack, the
                   OPERATOR_API_KEY \`npm run dev\` wrote to .dev.vars). Prefer the variable: a
                   command line is visible to other users of the machine.`;

export interface Deployment {
  url: string;
  key: string;
}

const isLocal = (url: URL) => ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);

export function resolveDeployment(values: { url?: string | undefined; key?: string | undefined }): Deployment {
  const given = values.url ?? process.env.STRATUS_URL ?? LOCAL_URL;
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new UsageError(`--url: "${given}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--url: "${given}" is not an http(s) URL`);
  const key = values.key ?? process.env.STRATUS_OPERATOR_API_KEY ?? (isLocal(url) ? readDevVars(join(PROJECT_ROOT, ".dev.vars")).get("OPERATOR_API_KEY") : undefined);
  if (key === undefined || key === "") throw new UsageError(`no operator key for ${url.origin}: set STRATUS_OPERATOR_API_KEY (or --key)`);
  return { url: url.origin + url.pathname.replace(/\/$/, ""), key };
}

export interface Answer {
  status: number;
  body: unknown;
}

/** One request to the deployment with the operator key; a network failure is a CommandError. */
export async function operatorRequest(deployment: Deployment, method: string, path: string, body?: { type: string; text: string }): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${deployment.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${deployment.key}`, Accept: "application/json", ...(body ? { "Content-Type": body.type } : {}) },
      ...(body ? { body: body.text } : {}),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new CommandError(`cannot reach ${deployment.url}: ${cause}`);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): reported by status below.
  }
  return { status: response.status, body: parsed };
}

/** An answer's body as `schema`, or a CommandError naming what the server said instead. */
export function expectBody<S extends z.ZodType>(answer: Answer, schema: S, what: string): z.output<S> {
  const result = schema.safeParse(answer.body);
  if (!result.success) throw new CommandError(`${what}: unexpected answer (${answer.status}): ${JSON.stringify(answer.body)?.slice(0, 300) ?? "empty"}`);
  return result.data;
}

/** The message for an error answer, with the problems of a refused bot, one per line. */
export function describeError(answer: Answer, deployment: Deployment, what: string): string {
  const error = BotVersionsErrorSchema.safeParse(answer.body);
  const lines: string[] = [];
  if (answer.status === 401) lines.push(`${what}: ${deployment.url} refused the operator key (401)`);
  else if (answer.status === 404 && error.success && error.data.error.code === "not_found") {
    lines.push(`${what}: ${deployment.url} has no bot-versions API (404 not_found): is it a deployment of this version of Stratus?`);
  } else if (error.success) lines.push(`${what}: ${error.data.error.message} (${answer.status} ${error.data.error.code})`);
  else lines.push(`${what}: ${answer.status} ${typeof answer.body === "string" ? answer.body.slice(0, 300) : JSON.stringify(answer.body)}`);
  for (const problem of (error.success ? error.data.error.problems : undefined) ?? []) {
    const where = typeof problem === "object" && typeof problem.path === "string" ? `${problem.path}: ` : "";
    lines.push(`  ${typeof problem === "string" ? problem : `${where}${problem.message}`}`);
  }
  return lines.join("\n");
}
