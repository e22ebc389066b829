// The demo services (`npm run demo:services`, the backend of the example bots' actions) answer a
// malformed percent-escape in a path with a JSON 400 and keep serving; they used to crash on it.
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../devkit/free-port.ts";

const ROOT = join(import.meta.dirname, "..", "..");

/** One raw request (the path sent byte for byte, as a client could): status, content type and body. */
function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, path, method: "GET" }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"] ?? "", body }));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("demo services", () => {
  let services: ChildProcess;
  let port: number;
  let exited = false;
  beforeAll(async () => {
    port = await freePort();
    services = spawn(process.execPath, [join(ROOT, "demo/services.ts")], { env: { ...process.env, DEMO_PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
    services.on("exit", () => (exited = true));
    await new Promise<void>((resolve, reject) => {
      services.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("demo services on")) resolve();
      });
      services.on("exit", (code) => reject(new Error(`demo services exited (${code})`)));
    });
  });
  afterAll(() => {
    services?.kill();
  });

  it.each(["/orders/%E0%A4%A", "/orders/%", "/orders/%zz/cancel", "/quotes/%E0%A4", "/%C0%AF"])("answers %s with a JSON 400 and keeps running", async (path) => {
    const response = await get(port, path);
    expect(response.status).toBe(400);
    expect(response.type).toContain("application/json");
    expect(JSON.parse(response.body)).toEqual({ error: "malformed_path", message: "the path has a malformed percent-escape" });
    expect(exited).toBe(false);
    const order = await get(port, "/orders/ORD-4820193");
    expect(order.status).toBe(200);
    expect(JSON.parse(order.body)).toMatchObject({ id: "ORD-4820193" });
  });

  it("still decodes well-formed escapes", async () => {
    expect((await get(port, "/orders/ORD%2D4820193")).status).toBe(200);
    expect(JSON.parse((await get(port, "/quotes/%E4%B8%AD")).body)).toEqual({ error: "unknown_symbol", symbol: "中" });
  });
});
