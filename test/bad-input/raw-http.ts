// A minimal HTTP/1.1 client over a TCP socket, for requests fetch() refuses to send or rewrites:
// `..` and encoded dot segments in the path, bytes that are not UTF-8, chunked bodies without a
// length, methods such as TRACE, several Authorization headers, WebSocket handshakes whose refusal
// we want to read. One connection per request (`Connection: close` unless the request names its
// own), read until the response is complete.
import { connect } from "node:net";

export interface RawRequest {
  method: string;
  /** The request target exactly as sent: path and query, not normalised or encoded. */
  target: string;
  headers?: [string, string][];
  body?: string | Uint8Array;
  /** Send the body as `Transfer-Encoding: chunked` (in chunks of this many bytes), without a Content-Length. */
  chunked?: number;
}

export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

export async function sendRaw(baseUrl: string, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const body = typeof request.body === "string" ? Buffer.from(request.body, "utf8") : Buffer.from(request.body ?? new Uint8Array());
  const head = [`${request.method} ${request.target} HTTP/1.1`, `Host: ${hostname}:${port}`];
  if (!(request.headers ?? []).some(([name]) => name.toLowerCase() === "connection")) head.push("Connection: close");
  for (const [name, value] of request.headers ?? []) head.push(`${name}: ${value}`);
  if (request.chunked !== undefined) head.push("Transfer-Encoding: chunked");
  else if (request.body !== undefined) head.push(`Content-Length: ${body.byteLength}`);
  const parts: Buffer[] = [Buffer.from(`${head.join("\r\n")}\r\n\r\n`, "latin1")];
  if (request.chunked !== undefined) {
    for (let offset = 0; offset < body.byteLength; offset += request.chunked) {
      const chunk = body.subarray(offset, offset + request.chunked);
      parts.push(Buffer.from(`${chunk.byteLength.toString(16)}\r\n`, "latin1"), chunk, Buffer.from("\r\n", "latin1"));
    }
    parts.push(Buffer.from("0\r\n\r\n", "latin1"));
  } else {
    parts.push(body);
  }

  return new Promise<RawResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.end(Buffer.concat(parts)));
    const what = `${request.method} ${request.target.slice(0, 80)}`;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${what}`));
    }, timeoutMs);
    const finish = (response: RawResponse) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      const response = completeResponse(Buffer.concat(chunks));
      if (response) finish(response);
    });
    // The server may answer (413) and close before it has read a large body: what it answered counts.
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (chunks.length === 0) {
        clearTimeout(timer);
        reject(new Error(`connection closed without an answer to ${what}`));
      } else finish(parseResponse(Buffer.concat(chunks)));
    });
  });
}

/** The response once all of it has arrived (a 101 ends with its headers), else undefined. */
function completeResponse(bytes: Buffer): RawResponse | undefined {
  const end = bytes.indexOf("\r\n\r\n");
  if (end < 0) return undefined;
  const response = parseResponse(bytes);
  if (response.status === 101) return response;
  const length = response.headers.get("content-length");
  if (length !== undefined) return bytes.byteLength - end - 4 >= Number(length) ? response : undefined;
  if (response.headers.get("transfer-encoding")?.toLowerCase() === "chunked") return bytes.includes("\r\n0\r\n\r\n", end) ? response : undefined;
  return undefined;
}

function parseResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`not an HTTP response: ${bytes.subarray(0, 200).toString("latin1")}`);
  const [statusLine = "", ...lines] = bytes.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let payload = bytes.subarray(end + 4);
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") payload = dechunk(payload);
  return { status, headers, body: payload.toString("utf8") };
}

function dechunk(payload: Buffer): Buffer {
  const out: Buffer[] = [];
  for (let offset = 0; ; ) {
    const lineEnd = payload.indexOf("\r\n", offset);
    if (lineEnd < 0) break;
    const size = parseInt(payload.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size) || size === 0) break;
    out.push(payload.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** Runs `tasks` with at most `concurrency` in flight; results in task order. */
export async function inPool<T>(tasks: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results = new Array<T>(tasks.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, tasks.length) }, async () => {
    while (next < tasks.length) {
      const index = next++;
      const task = tasks[index];
      if (task) results[index] = await task();
    }
  });
  await Promise.all(workers);
  return results;
}
