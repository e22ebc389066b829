// The chat widget showing a streamed LLM reply (docs/streaming.md) in headless Chromium, against the
// real Workers on workerd with the LLM fallback on the loopback OpenAI-compatible server
// (devkit/llm-server.ts): the text grows behind a caret as the model writes, the stored reply takes
// its place, and a stream that breaks off gives way to the bot's fallback.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLlmServer, type LlmServer } from "../../devkit/llm-server.ts";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { artifactPath, chromiumMissing, launchChromium, watchPage } from "../harness/browser.ts";

const skip = chromiumMissing("the widget streaming browser test");

const ANSWER =
  "I could not find that in our help pages, but here is what usually helps: check the order confirmation e-mail for the tracking link, " +
  "and if the parcel still has not moved after three working days, write to our support team with your order number.";
const UNKNOWN = "zqxv plorbin gruntle";
const REPHRASE = ["Sorry, I didn't understand that. Could you say it another way?", "I'm not sure I follow. Could you rephrase?"];

let llm: LlmServer;
let stratus: Stratus;
let browser: Browser;
beforeAll(async () => {
  if (skip) return;
  llm = await startLlmServer({ answer: () => ANSWER, chunkDelayMs: 60 });
  stratus = await startStratus({ dialogueVars: { LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "test-llm-key", LLM_MODEL: "test-model" } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stratus?.close();
  await llm?.close();
});
afterEach(() => llm?.setOptions({ answer: () => ANSWER, chunkDelayMs: 60 }));

interface Snapshot {
  text: string;
  caret: boolean;
  typingShown: boolean;
}

/**
 * Opens the shop with the widget, and records every state of a streaming bubble inside its shadow
 * root (a MutationObserver, so no state is missed between two polls).
 */
async function openWidget(context: BrowserContext): Promise<{ page: Page; snapshots: () => Promise<Snapshot[]> }> {
  const page = await context.newPage();
  await page.goto(`${stratus.url}/`);
  const root = page.locator("stratus-widget");
  await root.locator("button.launcher").click();
  await root.locator(".status").getByText("Connected").waitFor();
  await page.evaluate(() => {
    const shadow = document.querySelector("stratus-widget")?.shadowRoot;
    if (!shadow) throw new Error("no widget");
    const seen: Snapshot[] = [];
    (window as unknown as { streamSnapshots: Snapshot[] }).streamSnapshots = seen;
    new MutationObserver(() => {
      const paragraph = shadow.querySelector(".message.streaming p");
      if (!paragraph) return;
      const text = paragraph.textContent ?? "";
      if (seen.at(-1)?.text === text) return;
      const typing = shadow.querySelector<HTMLElement>(".typing");
      seen.push({ text, caret: paragraph.querySelector(".caret") !== null, typingShown: typing ? !typing.hidden : false });
    }).observe(shadow, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return { page, snapshots: () => page.evaluate(() => (window as unknown as { streamSnapshots: Snapshot[] }).streamSnapshots) };
}

async function send(page: Page, text: string): Promise<void> {
  const input = page.locator("stratus-widget textarea");
  await input.fill(text);
  await input.press("Enter");
}

const botTexts = (page: Page) => page.locator("stratus-widget .message.bot:not(.streaming):not(.streamed) p").allTextContents();
const previews = (page: Page) => page.locator("stratus-widget .message.streaming, stratus-widget .message.streamed").count();

describe.skipIf(skip)("the widget and a streamed reply", () => {
  it("shows the reply growing behind a caret as the model writes it, then the stored reply in its place", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1100, height: 780 } });
    const { page, snapshots } = await openWidget(context);
    const problems = await watchPage(page);
    await send(page, UNKNOWN);
    await expect.poll(async () => (await snapshots()).at(-1)?.text.length ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(40);
    await page.screenshot({ path: artifactPath("widget-streaming-en.png") });
    await expect.poll(() => botTexts(page), { timeout: 20_000 }).toEqual([ANSWER]);

    const seen = await snapshots();
    const texts = seen.map((snapshot) => snapshot.text).filter((text) => text !== "");
    console.log(`widget: the streamed reply showed ${texts.length} growing states before the stored reply (${texts.map((text) => text.length).join(", ")} characters)`);
    expect(texts.length).toBeGreaterThanOrEqual(3);
    for (const [i, text] of texts.entries()) {
      expect(ANSWER.startsWith(text)).toBe(true);
      if (i > 0) expect(text.length).toBeGreaterThan(texts[i - 1]?.length ?? 0);
    }
    expect(seen.every((snapshot) => snapshot.caret)).toBe(true);
    // The growing bubble stands in for the typing dots.
    expect(seen.slice(1).every((snapshot) => !snapshot.typingShown)).toBe(true);
    // Nothing of the preview is left: one bot reply, the stored one, announced to screen readers.
    expect(await previews(page)).toBe(0);
    expect(await page.locator("stratus-widget .typing").isHidden()).toBe(true);
    expect(problems.errors).toEqual([]);
    await context.close();
  });

  it("replaces a reply that broke off with the bot's fallback, in the same place", async () => {
    llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 60, breakAfterChunks: 10 });
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1100, height: 780 } });
    const { page, snapshots } = await openWidget(context);
    await send(page, UNKNOWN);
    await expect.poll(() => botTexts(page), { timeout: 20_000 }).toHaveLength(1);
    const [shown] = await botTexts(page);
    expect(REPHRASE).toContain(shown);
    const partial = (await snapshots()).at(-1)?.text ?? "";
    expect(partial.length).toBeGreaterThan(0);
    expect(ANSWER.startsWith(partial)).toBe(true);
    expect(await previews(page)).toBe(0);
    expect(await page.locator("stratus-widget .message").last().textContent()).toContain(shown ?? "");
    await context.close();
  });
});
