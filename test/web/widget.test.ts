// The chat widget on the demo shop (/), the operator inbox (/inbox) and the API reference (/docs)
// in headless Chromium against the real Workers on workerd, with the demo order service on
// loopback: what a shopper and an operator would see and do.
import { createRequire } from "node:module";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { OPERATOR_API_KEY } from "../../devkit/local-stack.ts";
import { readTranscript } from "../../devkit/transcript.ts";
import type { Conversation } from "../../shared/schemas/index.ts";
import { artifactPath, chromiumMissing, watchPage, type PageProblems } from "../harness/browser.ts";
import { browserStackForFile } from "../harness/browser-stack.ts";
import { widgetOn } from "../harness/shop-widget.ts";

const skip = chromiumMissing("the widget and inbox browser tests");

const stack = browserStackForFile(skip);

async function openShop(context: BrowserContext, query = ""): Promise<{ page: Page; problems: PageProblems; widget: ReturnType<typeof widgetOn> }> {
  const page = await context.newPage();
  const problems = await watchPage(page);
  await page.goto(`${stack.environment.stratus.url}/${query}`);
  const widget = widgetOn(page);
  await widget.launcher.waitFor();
  return { page, problems, widget };
}

/** The conversation the widget keeps in the page's localStorage. */
async function storedConversation(page: Page, locale: string): Promise<Conversation> {
  const raw = await page.evaluate((key) => localStorage.getItem(key), `stratus:ecommerce:${locale}`);
  if (!raw) throw new Error(`no stored conversation for ${locale}`);
  return (JSON.parse(raw) as { conversation: Conversation }).conversation;
}

describe.skipIf(skip)("chat widget on the demo shop", () => {
  it("tracks an order in English under a strict CSP, renders markup as text, and keeps the history across a reload and a second tab", async () => {
    const context = await stack.browser.newContext({ locale: "en-US", viewport: { width: 1100, height: 780 } });
    const { page, problems, widget } = await openShop(context);
    const headers = (await page.request.get(`${stack.environment.stratus.url}/`)).headers();
    expect(headers["content-security-policy"]).toContain("script-src 'self'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-inline");

    await widget.launcher.click();
    await expect.poll(() => widget.input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await widget.status.getByText("Connected").waitFor();
    expect(await widget.ask("can you track my package please")).toMatch(/order number/i);
    // Anonymous: the order's status, then its details once the shopper proves it is theirs (its postcode).
    expect(await widget.ask("ORD-4820193")).toContain("ORD-4820193");
    await widget.panel.locator(".message.bot p", { hasText: "postcode" }).waitFor();
    const shipped = await widget.ask("94103");
    expect(shipped).toContain("ORD-4820193");
    expect(shipped).toContain("UPS");
    await page.screenshot({ path: artifactPath("widget-open-en.png") });

    // Markup in a message is shown as the characters typed: no element, no request, no script.
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    const markup = "<img src=x onerror=alert(1)>";
    await widget.ask(markup);
    expect((await widget.userTexts()).at(-1)).toBe(markup);
    expect(await page.locator("stratus-widget img").count()).toBe(0);
    expect(requests.filter((url) => new URL(url).pathname === "/x")).toEqual([]);
    expect(problems.dialogs).toEqual([]);

    // A reload shows the same conversation; a second tab sees it too, and new messages reach both.
    const history = await widget.userTexts();
    await page.reload();
    await widget.launcher.click();
    await expect.poll(() => widget.userTexts()).toEqual(history);
    const second = await openShop(context);
    await second.widget.launcher.click();
    await expect.poll(() => second.widget.userTexts()).toEqual(history);
    await second.widget.ask("thanks a lot!");
    await expect.poll(() => widget.userTexts()).toEqual([...history, "thanks a lot!"]);
    expect(await widget.botTexts()).toEqual(await second.widget.botTexts());

    expect(problems.cspViolations).toEqual([]);
    expect(second.problems.cspViolations).toEqual([]);
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it("speaks Chinese when the page does: Chinese labels, and the bot answers in Chinese", async () => {
    const context = await stack.browser.newContext({ locale: "zh-CN", viewport: { width: 1100, height: 780 } });
    const { page, problems, widget } = await openShop(context);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("zh");
    expect(await widget.launcher.getAttribute("aria-label")).toBe("打开聊天");
    await widget.launcher.click();
    await widget.status.getByText("已连接").waitFor();
    expect(await widget.input.getAttribute("placeholder")).toBe("请输入消息…");
    expect(await widget.ask("我的快递到哪了")).toContain("订单号");
    expect(await widget.ask("ORD-4820193")).toContain("ORD-4820193");
    await widget.panel.locator(".message.bot p", { hasText: "邮政编码" }).waitFor();
    const shipped = await widget.ask("94103");
    expect(shipped).toContain("ORD-4820193");
    expect(shipped).toMatch(/发货|预计/);
    expect((await storedConversation(page, "zh")).locale).toBe("zh");
    await page.screenshot({ path: artifactPath("widget-open-zh.png") });

    // The shop's language switch drives the widget through its command API.
    await page.getByRole("button", { name: "English" }).click();
    await expect.poll(() => widget.input.getAttribute("placeholder")).toBe("Type a message…");
    expect(problems.cspViolations).toEqual([]);
    await context.close();
  });

  it("speaks Spanish too, since the shop bot declares it", async () => {
    const context = await stack.browser.newContext({ locale: "es-ES" });
    const { page, problems, widget } = await openShop(context);
    expect(await widget.launcher.getAttribute("aria-label")).toBe("Abrir el chat");
    await widget.launcher.click();
    await widget.status.getByText("Conectado").waitFor();
    expect(await widget.ask("¿me puedes rastrear el paquete?")).toContain("número de pedido");
    expect(await widget.ask("ORD-4820193")).toContain("ORD-4820193");
    await widget.panel.locator(".message.bot p", { hasText: "código postal" }).waitFor();
    expect(await widget.ask("94103")).toContain("UPS");
    expect((await storedConversation(page, "es")).locale).toBe("es");
    expect(problems.cspViolations).toEqual([]);
    await context.close();
  });

  it("queues messages written offline and sends each exactly once, in order, when the network returns", async () => {
    const context = await stack.browser.newContext({ locale: "en-US" });
    const { page, widget } = await openShop(context);
    await widget.launcher.click();
    await widget.status.getByText("Connected").waitFor();
    await widget.ask("hello");

    await context.setOffline(true);
    await widget.status.getByText(/Offline/).waitFor();
    const offline = ["where is my order ORD-4820193?", "thanks a lot!"];
    for (const text of offline) await widget.send(text);
    await expect.poll(() => widget.pending.count()).toBe(2);
    await context.setOffline(false);
    await widget.status.getByText("Connected").waitFor();
    await expect.poll(() => widget.pending.count(), { timeout: 20_000 }).toBe(0);

    const sent = ["hello", ...offline];
    await expect.poll(() => widget.userTexts()).toEqual(sent);
    const conversation = await storedConversation(page, "en");
    const stratus = stack.environment.stratus;
    await expect
      .poll(async () => (await readTranscript(stratus, conversation)).filter((m) => m.role === "bot").length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(3);
    const server = await readTranscript(stratus, conversation);
    const users = server.filter((m) => m.role === "user");
    const answered = users.filter((user) => server.some((m) => m.role === "bot" && m.replyTo === user.seq));
    const shown = await page.locator("stratus-widget .message:not(.pending)").evaluateAll((items) =>
      items.map((item) => Number(item.getAttribute("data-seq"))),
    );
    const duplicates = shown.length - new Set(shown).size;
    const gaps = server.filter((m) => !shown.includes(m.seq)).length;
    console.log(
      `offline test: sent ${sent.length} (${offline.length} offline), stored ${users.length}, answered ${answered.length}, ` +
        `received ${shown.length}, duplicates ${duplicates}, gaps ${gaps}`,
    );
    expect(users.map((m) => m.text)).toEqual(sent);
    expect(answered.length).toBe(sent.length);
    await expect.poll(async () => (await page.locator("stratus-widget .message:not(.pending)").count())).toBe(server.length);
    expect(duplicates).toBe(0);
    expect(gaps).toBe(0);
    expect(shown).toEqual(server.map((m) => m.seq));
    await context.close();
  });

  it("is usable with a keyboard alone and has no serious or critical accessibility violation (axe-core)", async () => {
    // axe is injected as a script, which the shop's CSP rightly forbids: this context bypasses it.
    const context = await stack.browser.newContext({ locale: "en-US", bypassCSP: true });
    const { page, widget } = await openShop(context);
    await widget.launcher.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => widget.input.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    expect(await widget.launcher.getAttribute("aria-expanded")).toBe("true");
    await widget.status.getByText("Connected").waitFor();
    await widget.ask("hi there");

    const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
    await page.addScriptTag({ path: axePath });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
      const result = await axe.run({ include: [["stratus-widget"]] }, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] });
      return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.length }));
    });
    expect(violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical")).toEqual([]);

    // Tab moves on out of the widget (no trap); Escape closes it and gives focus back to the launcher.
    await widget.input.focus();
    const leftWidget = await (async () => {
      for (let i = 0; i < 10; i++) {
        await page.keyboard.press("Tab");
        if (await page.evaluate(() => document.activeElement?.tagName !== "STRATUS-WIDGET")) return true;
      }
      return false;
    })();
    expect(leftWidget).toBe(true);
    await widget.input.focus();
    await page.keyboard.press("Escape");
    await expect.poll(() => widget.panel.isHidden()).toBe(true);
    expect(await widget.launcher.evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
    await context.close();
  });

  it("counts unread messages while closed (badge, label and the page's unread event)", async () => {
    const context = await stack.browser.newContext({ locale: "en-US" });
    const { page, widget } = await openShop(context);
    await widget.launcher.click();
    await widget.status.getByText("Connected").waitFor();
    await widget.ask("hi there");
    await page.keyboard.press("Escape");
    const conversation = await storedConversation(page, "en");
    const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}`, "Content-Type": "application/json" };
    const stratus = stack.environment.stratus;
    await stratus.fetch(`/v1/conversations/${conversation.id}/handoff`, { method: "POST", headers: operator });
    await stratus.fetch(`/v1/conversations/${conversation.id}/agent-messages`, {
      method: "POST",
      headers: operator,
      body: JSON.stringify({ text: "Hello from support, anything I can help with?" }),
    });
    await expect.poll(() => widget.badge.textContent()).toBe("1");
    expect(await widget.launcher.getAttribute("aria-label")).toBe("Open chat, 1 unread");
    await expect.poll(() => page.locator("#unread").textContent()).toContain("1");
    await widget.launcher.click();
    await expect.poll(() => widget.badge.isHidden()).toBe(true);

    // Logging out (the shop's "Sign out" calls Stratus("reset")) forgets the conversation.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => widget.panel.isHidden()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem("stratus:ecommerce:en"))).toBeNull();
    await widget.launcher.click();
    await widget.status.getByText("Connected").waitFor();
    expect(await widget.userTexts()).toEqual([]);
    expect((await storedConversation(page, "en")).id).not.toBe(conversation.id);
    await context.close();
  });

  it("follows the system's dark mode, takes the site's colours and sits on the left when asked", async () => {
    const context = await stack.browser.newContext({ locale: "en-US", colorScheme: "dark", viewport: { width: 1100, height: 780 } });
    const page = await context.newPage();
    await page.addInitScript(() => {
      (window as unknown as { stratusSettings: object }).stratusSettings = { position: "left" };
    });
    await page.goto(`${stack.environment.stratus.url}/`);
    const widget = widgetOn(page);
    await widget.launcher.click();
    const background = await widget.panel.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe("rgb(17, 24, 39)");
    const box = await widget.launcher.boundingBox();
    expect(box && box.x).toBeLessThan(100);
    // A site's theme: custom properties cross the shadow boundary (set here through the CSSOM, which CSP allows).
    await page.evaluate(() => document.querySelector("stratus-widget")?.setAttribute("class", "themed"));
    await page.evaluate(() => {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync("stratus-widget.themed { --stratus-accent: rgb(15, 118, 110); }");
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    });
    expect(await widget.launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(15, 118, 110)");
    await context.close();
  });
});

describe.skipIf(skip)("operator inbox", () => {
  it("hands a shopper to a person: the inbox lists it, the agent replies, releases it, and the bot answers again", async () => {
    const shopper = await stack.browser.newContext({ locale: "en-US", viewport: { width: 1100, height: 780 } });
    const { widget, problems } = await openShop(shopper);
    await widget.launcher.click();
    await widget.status.getByText("Connected").waitFor();
    const asked = "I want to talk to a human agent";
    await widget.ask(asked);
    await widget.notices.getByText("Waiting for a person to join…").waitFor();

    const desk = await stack.browser.newContext({ viewport: { width: 1200, height: 760 } });
    const inbox = await desk.newPage();
    const inboxProblems = await watchPage(inbox);
    await inbox.goto(`${stack.environment.stratus.url}/inbox`);
    await inbox.getByLabel("Operator key").fill(OPERATOR_API_KEY);
    await inbox.getByRole("button", { name: "Sign in" }).click();
    const entry = inbox.locator("#queue button").filter({ hasText: "handed off by the bot" }).first();
    await entry.waitFor({ timeout: 20_000 });
    await entry.click();
    await inbox.locator("#transcript .message.user").filter({ hasText: asked }).waitFor();
    await inbox.getByLabel("Reply as agent").fill("Hi, I'm Dana from support. How can I help?");
    await inbox.getByRole("button", { name: "Send", exact: true }).click();
    await inbox.locator("#transcript .message.agent").waitFor();
    await inbox.screenshot({ path: artifactPath("inbox.png") });

    await widget.notices.getByText("A person has joined the conversation.").waitFor();
    await widget.panel.locator(".message.agent").getByText("Hi, I'm Dana from support. How can I help?").waitFor();
    // While a person has it, the shopper's messages reach the inbox and the bot stays silent.
    const botsBefore = (await widget.botTexts()).length;
    await widget.send("thanks, my order has not arrived");
    await inbox.locator("#transcript .message.user").filter({ hasText: "thanks, my order has not arrived" }).waitFor();

    await inbox.getByRole("button", { name: "Release to bot" }).click();
    await expect.poll(() => inbox.locator("#queue button").filter({ hasText: asked }).count()).toBe(0);
    await widget.notices.getByText("You are chatting with the assistant again.").waitFor();
    expect((await widget.botTexts()).length).toBe(botsBefore);
    // The bot answers again (an anonymous shopper learns the order's status; details need a proof).
    expect(await widget.ask("where is my order ORD-4820193?")).toContain("ORD-4820193");

    expect(problems.cspViolations).toEqual([]);
    expect(inboxProblems.cspViolations).toEqual([]);
    expect(inboxProblems.errors).toEqual([]);
    await shopper.close();
    await desk.close();
  }, 90_000);
});

describe.skipIf(skip)("API reference", () => {
  it("renders /v1/openapi.json at /docs from this origin only (no CDN)", async () => {
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    // The renderer links one image on a CDN (its logo): the page's CSP must stop it before it leaves.
    const foreign: string[] = [];
    const blocked: string[] = [];
    page.on("request", (request) => {
      if (/^https?:/.test(request.url()) && new URL(request.url()).origin !== stack.environment.stratus.url) foreign.push(request.url());
    });
    page.on("requestfailed", (request) => {
      if (/csp/i.test(request.failure()?.errorText ?? "")) blocked.push(request.url());
    });
    await page.goto(`${stack.environment.stratus.url}/docs`);
    await page.getByRole("heading", { name: /Stratus gateway API/ }).first().waitFor({ timeout: 30_000 });
    await page.getByText("/v1/operator/conversations").first().waitFor();
    expect(foreign).toEqual(blocked);
    await context.close();
  });
});
