// The demo chat page (/chat) in headless Chromium: a person picks a bot, types, and sees the bot answer;
// a reload resumes the conversation. Skips with a message when Chromium is not installed
// (`apt-get install chromium`; .ci/run installs it).
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";

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
});
