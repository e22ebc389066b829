/** One HTTP exchange with a backend, with a timeout per attempt and retries on transient failures. */

export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  timeoutMs: number;
  retries: number;
}

export type HttpOutcome =
  | { kind: "answer"; status: number; json: unknown; badJson: boolean }
  /** No answer: a timeout or a network error. */
  | { kind: "failed" };

const TRANSIENT_STATUS = (status: number): boolean => status >= 500 || status === 429;

export async function requestJson(fetcher: typeof fetch, request: HttpRequest): Promise<HttpOutcome> {
  let outcome: HttpOutcome = { kind: "failed" };
  for (let attempt = 0; attempt <= request.retries; attempt++) {
    outcome = await attemptOnce(fetcher, request);
    const transient = outcome.kind === "failed" || TRANSIENT_STATUS(outcome.status);
    if (!transient) return outcome;
  }
  return outcome;
}

async function attemptOnce(fetcher: typeof fetch, request: HttpRequest): Promise<HttpOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal: controller.signal };
    if (request.body !== undefined) init.body = request.body;
    const response = await fetcher(request.url, init);
    // The timeout covers the body too: a backend may send headers and then stall.
    const text = await response.text();
    if (text.trim() === "") return { kind: "answer", status: response.status, json: null, badJson: false };
    try {
      return { kind: "answer", status: response.status, json: JSON.parse(text) as unknown, badJson: false };
    } catch {
      return { kind: "answer", status: response.status, json: null, badJson: true };
    }
  } catch {
    return { kind: "failed" };
  } finally {
    clearTimeout(timer);
  }
}
