// No credential in a URL, so none in a log: a person chats on /chat (reloading, so the socket opens
// again) and an operator works a handed-off conversation in /inbox, in headless Chromium against
// `wrangler dev` as `npm run dev` runs it; then the dev server's whole output — its request log
// lines included — holds neither the operator key nor any conversation token or socket ticket.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY } from "../../devkit/local-stack.ts";
import { startWranglerDev, type DevServer } from "../../devkit/wrangler-dev.ts";
import { chromiumMissing, launchChromium } from "../harness/browser.ts";

const skip = chromiumMissing("the secrets-in-logs browser test");

describe.skipIf(skip)("the dev server's log after a chat and an inbox session", () => {
  let server: DevServer;
  let browser: Browser;
  let persistDir: string;
  const output: string[] = [];
  beforeAll(async () => {
    persistDir = mkdtempSync(join(tmpdir(), "stratus-secrets-"));
    server = await startWranglerDev(persistDir, {}, { onOutput: (line) => output.push(line) });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(persistDir, { recursive: true, force: true });
  });

  it("holds no token, ticket or key", async () => {
    const context = await browser.newContext();
    // Every credential the browser sends, wherever it puts it, to look for in the log afterwards.
    const credentials = new Set<string>([OPERATOR_API_KEY]);
    const pending: Promise<void>[] = [];
    context.on("request", (request) => {
      const authorization = request.headers().authorization;
      if (authorization?.startsWith("Bearer ")) credentials.add(authorization.slice(7));
    });
    // Socket tickets, as the gateway hands them out (the socket offers them in a header Playwright does not show).
    context.on("response", (response) => {
      if (!response.url().endsWith("/socket-tickets") || response.status() !== 201) return;
      pending.push(response.json().then((body: { ticket: string }) => void credentials.add(body.ticket)));
    });

    const chat = await context.newPage();
    await chat.goto(`${server.url}/chat`);
    await chat.getByText("connected").waitFor();
    await chat.getByLabel("Message").fill("where is my order ORD-4820193?");
    await chat.getByRole("button", { name: "Send" }).click();
    await chat.locator("#transcript li.bot").first().waitFor();
    await chat.reload();
    await chat.getByText("connected").waitFor();
    const stored = await chat.evaluate(() => Object.keys(localStorage).map((key) => localStorage.getItem(key) ?? ""));
    for (const value of stored) {
      const token = (JSON.parse(value) as { token?: string }).token;
      if (token) credentials.add(token);
    }

    // A conversation waiting for a person, worked in the inbox.
    const created = (await (await fetch(`${server.url}/v1/conversations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"locale":"en"}' })).json()) as { id: string; token: string };
    credentials.add(created.token);
    await fetch(`${server.url}/v1/conversations/${created.id}/messages?wait=20`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${created.token}` },
      body: '{"text":"I want to talk to a person"}',
    });
    await fetch(`${server.url}/v1/conversations/${created.id}/handoff`, { method: "POST", headers: { Authorization: `Bearer ${OPERATOR_API_KEY}` } });
    const inbox = await context.newPage();
    await inbox.goto(`${server.url}/inbox`);
    await inbox.getByLabel("Operator key").fill(OPERATOR_API_KEY);
    await inbox.getByRole("button", { name: "Sign in" }).click();
    await inbox.locator("#queue button").first().click();
    await inbox.locator("#transcript .message.user").first().waitFor();
    await inbox.getByLabel("Reply as agent").fill("Hi, I'm Dana from support.");
    await inbox.getByRole("button", { name: "Send", exact: true }).click();
    await inbox.locator("#transcript .message.agent").waitFor();
    await Promise.all(pending);
    await context.close();

    const log = output.join("\n");
    // The log is the one that records requests: the test looks where a URL would have shown a credential.
    expect(log).toMatch(/\/v1\/conversations\/[0-9a-f]{32}\/ws/);
    expect(log).toMatch(/\/socket-tickets/);
    // The key, two conversations' tokens, and a ticket for each socket the pages opened (the chat page twice, the inbox once).
    expect(credentials.size).toBeGreaterThanOrEqual(6);
    for (const credential of credentials) expect(log.includes(credential), `a credential (${credential.slice(0, 6)}…) in the log`).toBe(false);
  }, 90_000);
});
