// The chat widget on the demo shop's page in headless Chromium (its parts and what a shopper does with
// it), and the page opened for a signed-in user as the shop's own script would set the widget up
// (`window.stratusSettings`): for the browser tests of the widget.
import type { BrowserContext, Page } from "playwright-core";
import { watchPage } from "./browser.ts";

/** The widget inside the shop page (Playwright's locators pierce its open shadow root). */
export function widgetOn(page: Page) {
  const root = page.locator("stratus-widget");
  const input = root.locator("textarea");
  return {
    root,
    launcher: root.locator("button.launcher"),
    panel: root.locator(".panel"),
    input,
    status: root.locator(".status"),
    notices: root.locator(".notice"),
    badge: root.locator(".badge"),
    /** Stored messages only (not those still waiting to be sent). */
    userTexts: () => root.locator(".message.user:not(.pending) p").allTextContents(),
    botTexts: () => root.locator(".message.bot p").allTextContents(),
    pending: root.locator(".message.pending"),
    async send(text: string) {
      await input.fill(text);
      await input.press("Enter");
    },
    /** Sends and waits for the bot's next message. */
    async ask(text: string): Promise<string> {
      const before = await root.locator(".message.bot").count();
      await this.send(text);
      const reply = root.locator(".message.bot p").nth(before);
      await reply.waitFor();
      return (await reply.textContent()) ?? "";
    },
  };
}

/** What the shop's own script would set before the widget loads: the user token, and how to get a fresh one. */
export interface SignedInPage {
  userToken: string;
  /** The token the page's refresh callback returns (counted in `window.__refreshes`). */
  freshToken?: string;
}

/** Opens the shop's page of the Stratus at `url` for a signed-in user, once its widget's launcher shows. */
export async function openShopSignedIn(context: BrowserContext, url: string, signedIn: SignedInPage) {
  const page = await context.newPage();
  const problems = await watchPage(page);
  await page.addInitScript(({ userToken, freshToken }) => {
    const page = window as unknown as { stratusSettings: unknown; __refreshes: number };
    page.__refreshes = 0;
    page.stratusSettings = {
      userToken,
      ...(freshToken === undefined
        ? {}
        : {
            refreshUserToken: () => {
              page.__refreshes++;
              return Promise.resolve(freshToken);
            },
          }),
    };
  }, signedIn);
  await page.goto(`${url}/`);
  const widget = widgetOn(page);
  await widget.launcher.waitFor();
  return { page, problems, widget };
}
