// The demo chat page (/chat) in headless Chromium: a person picks a bot, types, and sees the bot answer;
// a reload resumes the conversation. Skips with a message when Chromium is not installed
// (`apt-get install chromium`; .ci/run installs it).
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { watchPage } from "../harness/browser.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) console.warn(`skipping the chat page test: no Chromium at ${CHROMIUM}`);

/** Types a message into the composer and sends it, as a person would. */
async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel("Message").fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

describe.skipIf(!available)("chat page", () => {
  let stratus: Stratus;
  let browser: Browser;
  beforeAll(async () => {
    stratus = await startStratus();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stratus?.close();
  });

  it("chats with the default bot and shows its answer with what it understood", async () => {
    const page = await browser.newPage();
    await page.goto(`${stratus.url}/chat`);
    await page.getByText("connected").waitFor();
    await send(page, "where is my order ORD-4820193?");
    const botAnswer = page.locator("#transcript li.bot").first();
    await botAnswer.waitFor();
    expect(await page.locator("#transcript li.user").first().textContent()).toContain("ORD-4820193");
    expect(await botAnswer.textContent()).toContain("ORD-4820193");
    expect(await botAnswer.locator("small").textContent()).toContain("order_status");
    await page.screenshot({ path: "test/web/.last-chat.png" });
    await page.close();
  });

  it("keeps the conversation across a reload and switches bots", async () => {
    const page = await browser.newPage();
    await page.goto(`${stratus.url}/chat`);
    await page.getByText("connected").waitFor();
    await send(page, "hello");
    await page.locator("#transcript li.bot").first().waitFor();
    const before = await page.locator("#transcript li").count();
    await page.reload();
    await page.getByText("connected").waitFor();
    await page.locator("#transcript li").nth(before - 1).waitFor();
    expect(await page.locator("#transcript li").count()).toBe(before);

    await page.getByLabel("Bot").selectOption("health");
    await page.getByText("connected").waitFor();
    await send(page, "我胸痛，呼吸困难");
    await page.locator("#transcript li.bot").first().waitFor();
    expect(await page.locator("#transcript li.bot").first().textContent()).toMatch(/120|急救|紧急/);
    await page.close();
  });

  it("offers the languages of the chosen bot and speaks the one picked", async () => {
    const page = await browser.newPage();
    await page.goto(`${stratus.url}/chat`);
    await page.getByText("connected").waitFor();
    const languages = page.getByLabel("Language");
    expect(await languages.locator("option").allTextContents()).toEqual(["auto", "English", "中文", "Español"]);
    await languages.selectOption("es");
    await page.getByText("connected").waitFor();
    await send(page, "hola");
    const botAnswer = page.locator("#transcript li.bot").first();
    await botAnswer.waitFor();
    expect(await botAnswer.textContent()).toContain("¡Hola!");
    await page.getByLabel("Bot").selectOption("finance");
    await page.getByText("connected").waitFor();
    expect(await languages.locator("option").allTextContents()).toEqual(["auto", "English", "中文"]);
    await page.close();
  });

  it("is served under a strict Content-Security-Policy that no other site may frame, and works under it", async () => {
    const page = await browser.newPage();
    const problems = await watchPage(page);
    const response = await page.goto(`${stratus.url}/chat`);
    const headers = response?.headers() ?? {};
    const csp = headers["content-security-policy"] ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    // The page still works under it: its script runs, its style applies, its WebSocket connects.
    await page.getByText("connected").waitFor();
    await send(page, "hello");
    await page.locator("#transcript li.bot").first().waitFor();
    expect(problems.cspViolations).toEqual([]);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it("is not shown inside another site's frame (nor is any other page but the widget's script)", async () => {
    // Another origin (a loopback server on its own port) framing /chat, as a clickjacking page would.
    const target = `${stratus.url}/chat`;
    const framing: Server = createServer((_request, reply) => {
      reply.writeHead(200, { "content-type": "text/html" });
      reply.end(`<!doctype html><title>elsewhere</title><iframe id="framed" src="${target}" width="600" height="400"></iframe>`);
    });
    await new Promise<void>((resolve) => framing.listen(0, "127.0.0.1", resolve));
    const address = framing.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const page = await browser.newPage();
      const problems = await watchPage(page);
      const framedResponse = page.waitForResponse((candidate) => candidate.url() === target);
      await page.goto(`http://localhost:${port}/`);
      await framedResponse;
      await page.waitForLoadState("load");
      // Chromium refuses to render the framed page: no element of the chat page exists in the frame.
      expect(await page.frameLocator("#framed").locator("#composer").count()).toBe(0);
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      expect(frame === undefined || !frame.url().startsWith(stratus.url)).toBe(true);
      expect(problems.dialogs).toEqual([]);
      await page.close();
    } finally {
      await new Promise<void>((resolve) => framing.close(() => resolve()));
    }
    for (const path of ["/", "/chat", "/inbox", "/analytics", "/docs/"]) {
      const headers = (await fetch(`${stratus.url}${path}`)).headers;
      expect(headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
    }
  });
});
