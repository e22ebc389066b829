// A signed-in shopper in headless Chromium against the real Workers on workerd (docs/users.md): the
// shop's page hands the widget the user token its backend signed (`window.stratusSettings`), the
// widget resumes the user's latest conversation on another device (refreshing an expired token
// through the page's callback), and the operator inbox shows who the user is and their other
// conversations beside the open one.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { OPERATOR_API_KEY } from "../../devkit/local-stack.ts";
import { signDevUserToken } from "../../devkit/user-tokens.ts";
import { chromiumMissing, watchPage } from "../harness/browser.ts";
import { browserStackForFile } from "../harness/browser-stack.ts";
import { openShopSignedIn } from "../harness/shop-widget.ts";

const skip = chromiumMissing("the signed-in widget and inbox browser tests");

const stack = browserStackForFile(skip);

const refreshes = (page: Page) => page.evaluate(() => (window as unknown as { __refreshes: number }).__refreshes);

describe.skipIf(skip)("a signed-in shopper", () => {
  it("sees her own order, finds her conversation on a new device with a refreshed token, and the inbox shows who she is", async () => {
    const sub = "alice";
    // An earlier conversation of hers with another bot: the inbox lists it beside the open one.
    const earlier = await stack.environment.stratus.createConversation({ bot: "finance", locale: "en", userToken: await signDevUserToken({ sub }) });

    const laptop = await stack.browser.newContext({ locale: "en-US" });
    const first = await openShopSignedIn(laptop, stack.environment.stratus.url, { userToken: await signDevUserToken({ sub }) });
    await first.widget.launcher.click();
    await first.widget.status.getByText("Connected").waitFor();
    // Signed in, her own order's details come without a proof (an anonymous shopper gets its status only).
    expect(await first.widget.ask("where is my order ORD-4820193?")).toContain("1Z999AA10123456784");

    // A new device: no stored conversation, and the page's token has expired; the widget asks the page for a fresh one.
    const phone = await stack.browser.newContext({ locale: "en-US" });
    const second = await openShopSignedIn(phone, stack.environment.stratus.url, {
      userToken: await signDevUserToken({ sub, expiresInSeconds: -60 }),
      freshToken: await signDevUserToken({ sub }),
    });
    await second.widget.launcher.click();
    await second.widget.status.getByText("Connected").waitFor();
    await expect.poll(() => second.widget.userTexts()).toEqual(["where is my order ORD-4820193?"]);
    expect(await refreshes(second.page)).toBe(1);
    // The same conversation, continued from the phone: a person is asked for.
    const asked = "I want to talk to a human agent";
    await second.widget.ask(asked);
    await second.widget.notices.getByText("Waiting for a person to join…").waitFor();

    const desk = await stack.browser.newContext({ viewport: { width: 1200, height: 760 } });
    const inbox = await desk.newPage();
    const inboxProblems = await watchPage(inbox);
    await inbox.goto(`${stack.environment.stratus.url}/inbox`);
    await inbox.getByLabel("Operator key").fill(OPERATOR_API_KEY);
    await inbox.getByRole("button", { name: "Sign in" }).click();
    // The only conversation waiting for a person on this stack.
    const entry = inbox.locator("#queue button").filter({ hasText: "handed off by the bot" }).first();
    await entry.waitFor({ timeout: 20_000 });
    await entry.click();
    await inbox.locator("#transcript .message.user").filter({ hasText: asked }).waitFor();
    await inbox.locator("#user-panel").waitFor();
    expect(await inbox.locator("#user-id").textContent()).toBe(sub);
    const others = inbox.locator("#user-conversations button");
    await others.first().waitFor();
    expect(await others.evaluateAll((buttons) => buttons.map((button) => button.getAttribute("data-id")))).toEqual([earlier.id]);
    expect(await others.first().textContent()).toContain("finance");

    for (const problems of [first.problems, second.problems, inboxProblems]) {
      expect(problems.cspViolations).toEqual([]);
      // The browser logs the expired token's refusal (a 401) before the widget refreshes it; nothing else.
      expect(problems.errors.filter((error) => !error.includes("status of 401"))).toEqual([]);
    }
    await laptop.close();
    await phone.close();
    await desk.close();
  }, 90_000);
});
