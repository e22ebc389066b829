// A loopback imitation of the part of Cloudflare's API (https://api.cloudflare.com/client/v4) that
// `wrangler` uses to create queues, read and set Worker secrets and deploy Workers, so that
// `npx stratus deploy` runs the real wrangler end to end without an account: wrangler reads the base
// URL from CLOUDFLARE_API_BASE_URL and authenticates with CLOUDFLARE_API_TOKEN and
// CLOUDFLARE_ACCOUNT_ID. It keeps what was created (queues with their jurisdiction and consumers,
// scripts with their bindings, migrations and secrets) so that a second deploy sees the first, and
// records every call. It checks what Cloudflare would refuse and a deploy must not get wrong: an
// unknown token or account, a queue created twice, a consumer of a queue that does not exist, a
// binding to a Durable Object class of a script that is not deployed yet, an inherited secret that
// was never set. An endpoint it does not know answers 404 and is recorded as unknown, so a test
// sees when wrangler starts using one.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";

export interface RecordedCall {
  method: string;
  /** The path below /client/v4, e.g. `/accounts/acc/queues`. */
  path: string;
  query: string;
  status: number;
}

export interface FakeQueue {
  queue_id: string;
  queue_name: string;
  jurisdiction?: string;
  created_on: string;
  modified_on: string;
  consumers: Array<{ consumer_id: string; type: "worker"; script: string; dead_letter_queue?: string; settings: Record<string, unknown> }>;
}

export interface FakeScript {
  name: string;
  /** The upload's metadata: bindings, migrations, compatibility date… */
  metadata: Record<string, unknown>;
  modules: string[];
  /** Secret name → value as set (the imitation keeps values, to check what a deploy set). */
  secrets: Map<string, string>;
  /** The last migration tag applied. */
  migrationTag?: string;
  /** Durable Object classes the script exports (from its migrations). */
  durableObjectClasses: Set<string>;
  uploads: number;
  workersDev: boolean;
}

interface Route {
  method: string;
  pattern: RegExp;
  handle: (request: ParsedRequest, match: RegExpExecArray) => Promise<Answer> | Answer;
}

interface ParsedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

interface Answer {
  status: number;
  body: unknown;
}

const ok = (result: unknown, extra: Record<string, unknown> = {}): Answer => ({ status: 200, body: { success: true, errors: [], messages: [], result, ...extra } });
const fail = (status: number, code: number, message: string): Answer => ({ status, body: { success: false, errors: [{ code, message }], messages: [], result: null } });

/** Cloudflare's error codes that wrangler reads. */
const CODES = { notFound: 10007, authentication: 10000, queueExists: 11009, invalidInheritBinding: 10218, badBinding: 10021 } as const;

export class FakeCloudflareApi {
  readonly calls: RecordedCall[] = [];
  /** Requests to endpoints the imitation does not know (each also answered 404). */
  readonly unknown: string[] = [];
  readonly queues = new Map<string, FakeQueue>();
  readonly scripts = new Map<string, FakeScript>();
  private readonly server: Server;
  private readonly routes: Route[];
  private readonly accountId: string;
  private readonly token: string;

  private constructor(accountId: string, token: string) {
    this.accountId = accountId;
    this.token = token;
    this.routes = this.buildRoutes();
    this.server = createServer((request, response) => void this.serve(request, response));
  }

  static async start(options: { accountId?: string; token?: string } = {}): Promise<FakeCloudflareApi & { url: string }> {
    const api = new FakeCloudflareApi(options.accountId ?? "0123456789abcdef0123456789abcdef", options.token ?? "fake-api-token");
    await new Promise<void>((resolve) => api.server.listen(0, "127.0.0.1", resolve));
    const address = api.server.address();
    if (typeof address !== "object" || address === null) throw new Error("the fake Cloudflare API has no address");
    return Object.assign(api, { url: `http://127.0.0.1:${address.port}/client/v4` });
  }

  /** The environment that points wrangler at this imitation. */
  wranglerEnv(url: string): Record<string, string> {
    return {
      CLOUDFLARE_API_BASE_URL: url,
      CLOUDFLARE_API_TOKEN: this.token,
      CLOUDFLARE_ACCOUNT_ID: this.accountId,
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_SEND_ERROR_REPORTS: "false",
    };
  }

  /** Calls that changed something (every method but GET), in order. */
  changes(): RecordedCall[] {
    return this.calls.filter((call) => call.method !== "GET");
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? "/", "http://fake");
    const path = url.pathname.replace(/^\/client\/v4/, "");
    const parsed: ParsedRequest = { method: request.method ?? "GET", path, query: url.searchParams, headers: request.headers, body: Buffer.concat(chunks) };
    let answer: Answer;
    try {
      answer = await this.answer(parsed);
    } catch (error) {
      answer = fail(500, 10001, `the fake Cloudflare API failed: ${(error as Error).message}`);
    }
    this.calls.push({ method: parsed.method, path, query: url.search, status: answer.status });
    response.writeHead(answer.status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(answer.body));
  }

  private answer(request: ParsedRequest): Promise<Answer> | Answer {
    // The assets upload is authorized by the session's JWT, everything else by the API token.
    const assetsUpload = request.path.endsWith("/workers/assets/upload");
    if (!assetsUpload && request.headers.authorization !== `Bearer ${this.token}`) return fail(403, CODES.authentication, "Authentication error");
    const account = /^\/accounts\/([^/]+)\//.exec(request.path)?.[1];
    if (account !== undefined && account !== this.accountId) return fail(403, 9109, "Unauthorized to access requested resource");
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (match) return route.handle(request, match);
    }
    this.unknown.push(`${request.method} ${request.path}${request.query.size > 0 ? `?${request.query.toString()}` : ""}`);
    return fail(404, CODES.notFound, `the fake Cloudflare API does not implement ${request.method} ${request.path}`);
  }

  private script(name: string): FakeScript | undefined {
    return this.scripts.get(name);
  }

  private buildRoutes(): Route[] {
    const account = "^/accounts/[^/]+";
    const json = (request: ParsedRequest) => JSON.parse(request.body.toString("utf8") || "{}") as Record<string, unknown>;
    const now = () => new Date().toISOString();
    const queueList = (request: ParsedRequest) => {
      const names = request.query.getAll("name");
      const all = [...this.queues.values()].filter((queue) => names.length === 0 || names.includes(queue.queue_name));
      const perPage = 20;
      const page = Number(request.query.get("page") ?? "1");
      const slice = all.slice((page - 1) * perPage, page * perPage);
      return ok(slice.map((queue) => ({ ...queue, producers_total_count: 0, consumers_total_count: queue.consumers.length })), {
        result_info: { page, per_page: perPage, count: slice.length, total_count: all.length, total_pages: Math.max(1, Math.ceil(all.length / perPage)) },
      });
    };
    const scriptRoute = (suffix: string) => new RegExp(`${account}/workers/scripts/([^/]+)${suffix}$`);
    const needScript = (name: string | undefined, then: (script: FakeScript) => Answer): Answer => {
      const script = name === undefined ? undefined : this.script(name);
      return script ? then(script) : fail(404, CODES.notFound, `This Worker does not exist on your account. [code: ${CODES.notFound}]`);
    };
    return [
      // Queues.
      { method: "GET", pattern: new RegExp(`${account}/queues$`), handle: queueList },
      {
        method: "POST",
        pattern: new RegExp(`${account}/queues$`),
        handle: (request) => {
          const body = json(request);
          const name = typeof body.queue_name === "string" ? body.queue_name : "";
          if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(name)) return fail(400, 11003, `invalid queue name "${name}"`);
          if (this.queues.has(name)) return fail(409, CODES.queueExists, `A queue with name "${name}" already exists.`);
          const queue: FakeQueue = { queue_id: randomUUID().replaceAll("-", ""), queue_name: name, created_on: now(), modified_on: now(), consumers: [] };
          if (typeof body.jurisdiction === "string") queue.jurisdiction = body.jurisdiction;
          this.queues.set(name, queue);
          return ok(queue);
        },
      },
      {
        method: "GET",
        pattern: new RegExp(`${account}/queues/([0-9a-f]+)$`),
        handle: (_, match) => {
          const queue = [...this.queues.values()].find((q) => q.queue_id === match[1]);
          return queue ? ok(queue) : fail(404, 11000, "Queue not found");
        },
      },
      {
        method: "POST",
        pattern: new RegExp(`${account}/queues/([0-9a-f]+)/consumers$`),
        handle: (request, match) => {
          const queue = [...this.queues.values()].find((q) => q.queue_id === match[1]);
          if (!queue) return fail(404, 11000, "Queue not found");
          const body = json(request);
          const script = typeof body.script_name === "string" ? body.script_name : "";
          if (queue.consumers.some((consumer) => consumer.script === script)) return fail(409, 11004, `${script} already consumes ${queue.queue_name}`);
          const deadLetter = typeof body.dead_letter_queue === "string" ? body.dead_letter_queue : undefined;
          if (deadLetter !== undefined && !this.queues.has(deadLetter)) return fail(400, 11005, `dead letter queue "${deadLetter}" does not exist`);
          const consumer = { consumer_id: randomUUID().replaceAll("-", ""), type: "worker" as const, script, ...(deadLetter ? { dead_letter_queue: deadLetter } : {}), settings: (body.settings ?? {}) as Record<string, unknown> };
          queue.consumers.push(consumer);
          return ok(consumer);
        },
      },
      {
        method: "PUT",
        pattern: new RegExp(`${account}/queues/([0-9a-f]+)/consumers/([0-9a-f]+)$`),
        handle: (request, match) => {
          const queue = [...this.queues.values()].find((q) => q.queue_id === match[1]);
          const consumer = queue?.consumers.find((c) => c.consumer_id === match[2]);
          if (!queue || !consumer) return fail(404, 11000, "Consumer not found");
          const body = json(request);
          consumer.settings = (body.settings ?? {}) as Record<string, unknown>;
          return ok(consumer);
        },
      },
      // Workers: does it exist, its secrets, its settings.
      {
        method: "GET",
        pattern: new RegExp(`${account}/workers/services/([^/]+)$`),
        handle: (_, match) =>
          needScript(match[1], (script) => ok({ id: script.name, default_environment: { environment: "production", script: { id: script.name, tag: script.name, etag: `etag-${script.uploads}` } } })),
      },
      {
        method: "GET",
        pattern: scriptRoute("/secrets"),
        handle: (_, match) => needScript(match[1], (script) => ok([...script.secrets.keys()].map((name) => ({ name, type: "secret_text" })))),
      },
      {
        method: "PUT",
        pattern: scriptRoute("/secrets"),
        handle: (request, match) =>
          needScript(match[1], (script) => {
            const body = json(request);
            script.secrets.set(String(body.name), String(body.text));
            return ok({ name: body.name, type: "secret_text" });
          }),
      },
      { method: "GET", pattern: scriptRoute("/deployments"), handle: (_, match) => needScript(match[1], () => ok({ deployments: [] })) },
      {
        method: "GET",
        pattern: scriptRoute("/settings"),
        handle: (_, match) => needScript(match[1], (script) => ok({ bindings: [], ...(script.migrationTag ? { migration_tag: script.migrationTag } : {}) })),
      },
      { method: "PATCH", pattern: scriptRoute("/script-settings"), handle: (_, match) => needScript(match[1], () => ok({})) },
      {
        method: "GET",
        pattern: scriptRoute("/script-settings"),
        handle: (_, match) => needScript(match[1], () => ok({ logpush: false, tail_consumers: [], observability: { enabled: true } })),
      },
      // workers.dev.
      {
        method: "GET",
        pattern: new RegExp(`${account}/workers/workers/([^/]+)$`),
        handle: (_, match) => needScript(match[1], (script) => ok({ id: script.name, name: script.name, subdomain: { enabled: script.workersDev, previews_enabled: false } })),
      },
      { method: "GET", pattern: new RegExp(`${account}/workers/subdomain$`), handle: () => ok({ subdomain: "stratus-test" }) },
      {
        method: "GET",
        pattern: scriptRoute("/subdomain"),
        handle: (_, match) => needScript(match[1], (script) => ok({ enabled: script.workersDev, previews_enabled: false })),
      },
      {
        method: "POST",
        pattern: scriptRoute("/subdomain"),
        handle: (request, match) =>
          needScript(match[1], (script) => {
            script.workersDev = json(request).enabled === true;
            return ok({ enabled: script.workersDev, previews_enabled: false });
          }),
      },
      { method: "PUT", pattern: scriptRoute("/schedules"), handle: (_, match) => needScript(match[1], () => ok({ schedules: [] })) },
      // Static assets: one upload session, every file already known (nothing to upload).
      {
        method: "POST",
        pattern: scriptRoute("/assets-upload-session"),
        handle: () => ({ status: 200, body: { success: true, errors: [], messages: [], result: { jwt: "fake-assets-completion-token", buckets: [] } } }),
      },
      // The upload itself.
      { method: "PUT", pattern: scriptRoute(""), handle: (request, match) => this.upload(request, match[1] ?? "") },
      { method: "POST", pattern: scriptRoute("/versions"), handle: (request, match) => this.upload(request, match[1] ?? "", true) },
      {
        method: "POST",
        pattern: scriptRoute("/deployments"),
        handle: (_, match) => needScript(match[1], () => ok({ id: randomUUID(), strategy: "percentage", versions: [] })),
      },
    ];
  }

  /** A script upload (PUT …/scripts/:name) or a new version (POST …/versions): checked, then kept. */
  private async upload(request: ParsedRequest, name: string, version = false): Promise<Answer> {
    const form = await new Request("http://fake/upload", { method: "POST", headers: { "content-type": String(request.headers["content-type"]) }, body: new Uint8Array(request.body) }).formData();
    const metadataPart = form.get("metadata");
    if (typeof metadataPart !== "string") return fail(400, 10021, "the upload has no metadata part");
    const metadata = JSON.parse(metadataPart) as Record<string, unknown>;
    const existing = this.script(name);
    if (version && !existing) return fail(404, CODES.notFound, "This Worker does not exist on your account.");
    const bindings = (metadata.bindings ?? []) as Array<Record<string, unknown>>;
    const problems: string[] = [];
    const secrets = new Map(existing?.secrets ?? []);
    for (const binding of bindings) {
      const bindingName = String(binding.name);
      if (binding.type === "inherit" && !secrets.has(bindingName)) problems.push(`inherit binding '${bindingName}' is invalid`);
      if (binding.type === "secret_text") secrets.set(bindingName, String(binding.text));
      if (binding.type === "queue" && !this.queues.has(String(binding.queue_name))) problems.push(`queue binding ${bindingName}: queue "${String(binding.queue_name)}" does not exist`);
      if (binding.type === "durable_object_namespace" && typeof binding.script_name === "string" && binding.script_name !== name) {
        const other = this.script(binding.script_name);
        if (!other?.durableObjectClasses.has(String(binding.class_name))) {
          problems.push(`binding ${bindingName}: script "${binding.script_name}" does not export Durable Object class ${String(binding.class_name)} (deploy it first)`);
        }
      }
      if (binding.type === "service" && !this.script(String(binding.service))) problems.push(`service binding ${bindingName}: script "${String(binding.service)}" does not exist (deploy it first)`);
    }
    if (problems.length > 0) {
      return { status: 400, body: { success: false, errors: [{ code: problems.some((p) => p.startsWith("inherit")) ? CODES.invalidInheritBinding : CODES.badBinding, message: problems.join("; ") }], messages: [], result: null } };
    }
    const migrations = metadata.migrations as { new_tag?: string; old_tag?: string; steps?: Array<{ new_sqlite_classes?: string[]; new_classes?: string[] }> } | undefined;
    if (migrations?.old_tag !== undefined && migrations.old_tag !== existing?.migrationTag) {
      return fail(400, 10079, `migration old_tag "${migrations.old_tag}" is not the script's current tag "${existing?.migrationTag ?? "(none)"}"`);
    }
    const classes = new Set(existing?.durableObjectClasses ?? []);
    for (const step of migrations?.steps ?? []) for (const className of [...(step.new_sqlite_classes ?? []), ...(step.new_classes ?? [])]) classes.add(className);
    const script: FakeScript = {
      name,
      metadata,
      modules: [...form.keys()].filter((key) => key !== "metadata"),
      secrets,
      ...(migrations?.new_tag !== undefined ? { migrationTag: migrations.new_tag } : existing?.migrationTag !== undefined ? { migrationTag: existing.migrationTag } : {}),
      durableObjectClasses: classes,
      uploads: (existing?.uploads ?? 0) + 1,
      workersDev: existing?.workersDev ?? false,
    };
    this.scripts.set(name, script);
    const id = randomUUID();
    return ok(version ? { id, number: script.uploads, resources: { script: { etag: `etag-${script.uploads}` } } } : { id: name, etag: `etag-${script.uploads}`, deployment_id: id });
  }
}
