// The analytics page (/analytics) in headless Chromium against the real Workers: an operator signs
// in with the key (never in the URL), sees the shop bot's live figures and charts, sees them change
// as people chat, in English and in Chinese; a wrong key is refused; the page runs under its strict
// CSP without a violation, and a user's text is shown as text. Screenshots: test-artifacts/.
// Skips with a message when Chromium is not installed (`apt-get install chromium`).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY, ROOT, startStratus, type Stratus } from "../../devkit/local-stack.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) console.warn(`skipping the analytics page test: no Chromium at ${CHROMIUM}`);
const ARTIFACTS = join(ROOT, "test-artifacts");

describe.skipIf(!available)("analytics page", () => {
  let stratus: Stratus;
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    stratus = await startStratus();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stratus?.close();
  });

  /** A page that records every Content-Security-Policy violation and failed script. */
  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));
    const response = await page.goto(`${stratus.url}/analytics`);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    return { page, problems };
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.locator("#key").fill(key);
    await page.locator("#login button[type=submit]").click();
  }

  it("refuses a wrong key and keeps the key out of the URL", async () => {
    const { page, problems } = await openPage();
    await signIn(page, "not-the-key");
    await expect.poll(() => page.locator("#login-error").textContent()).toBe("That key was not accepted.");
    expect(await page.locator("#dashboard").isHidden()).toBe(true);
    expect(page.url()).toBe(`${stratus.url}/analytics`);
    expect(problems.filter((problem) => !problem.includes("401"))).toEqual([]);
    await page.close();
  });

  it("shows live figures in English and in Chinese", async () => {
    // Traffic before the page opens: a greeting, and a question the shop does not understand,
    // written the way a person might try to inject markup.
    const first = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    await stratus.say(first, "hello");
    const { replies } = await stratus.say(first, "<img src=x> qwzx vlorp");
    expect(replies[0]?.nlu?.intent.name).toBe("out_of_scope");

    const { page, problems } = await openPage();
    await page.locator("#ui-language").selectOption("en");
    await signIn(page, OPERATOR_API_KEY);
    await page.locator("#dashboard").waitFor();
    expect(await page.locator("#login").isHidden()).toBe(true);
    expect(page.url()).toBe(`${stratus.url}/analytics`);
    const conversations = page.locator("#kpi-conversations");
    await expect.poll(() => conversations.textContent(), { timeout: 20_000 }).toBe("1");
    await expect.poll(() => page.locator("#kpi-messages").textContent(), { timeout: 20_000 }).toMatch(/^2 \/ \d+ \/ 0$/);
    expect(await page.locator("#kpi-out-of-scope").textContent()).toBe("50%");
    expect(await page.locator("h2", { hasText: "Intent mix" }).count()).toBe(1);
    // Each bot version side by side: here every conversation is on the built-in version 1.
    const versionRow = await page.locator("#versions tbody tr").first().locator("td").allTextContents();
    expect([...versionRow.slice(0, 3), versionRow[4]]).toEqual(["v1", "1", "100%", "0"]);
    expect(versionRow[3]).toBe(await page.locator("#kpi-fallback").textContent());
    // The user's text is shown as text: no element was made of it.
    const unrecognised = page.locator("#unrecognised tbody td").first();
    expect(await unrecognised.textContent()).toBe("<img src=x> qwzx vlorp");
    expect(await page.locator("#unrecognised img").count()).toBe(0);
    // Both charts drew (uPlot canvases with their series in the legend).
    expect(await page.locator("#traffic-chart canvas").count()).toBe(1);
    expect(await page.locator("#traffic-chart .u-legend").textContent()).toContain("Fallbacks");

    // Live: someone else chats; the page shows it without a reload.
    const second = await stratus.createConversation({ bot: "ecommerce", locale: "zh" });
    await stratus.say(second, "你好");
    await expect.poll(() => conversations.textContent(), { timeout: 20_000 }).toBe("2");
    await page.screenshot({ path: join(ARTIFACTS, "analytics-en.png"), fullPage: true });

    await page.locator("#ui-language").selectOption("zh");
    await expect.poll(() => page.locator("h2", { hasText: "意图分布" }).count()).toBe(1);
    expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
    expect(await page.locator("#traffic-chart .u-legend").textContent()).toContain("兜底");
    expect(await conversations.textContent()).toBe("2");
    expect(await page.locator("#unrecognised-note").textContent()).toContain("文本保留 30 天");
    // The locale filter lists the bot's own locales, named in the interface language.
    expect(await page.locator("#locale option").allTextContents()).toEqual(["全部", "英语", "中文", "西班牙语"]);
    await page.locator("#locale").selectOption("zh");
    await expect.poll(() => page.locator("#kpi-messages").textContent(), { timeout: 20_000 }).toMatch(/^1 \/ \d+ \/ 0$/);
    await page.locator("#locale").selectOption("");
    await expect.poll(() => conversations.textContent()).toBe("2");
    await page.screenshot({ path: join(ARTIFACTS, "analytics-zh.png"), fullPage: true });

    expect(problems).toEqual([]);
    await page.close();
  });
});
