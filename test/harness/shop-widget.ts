// The demo shop's page in headless Chromium with a signed-in user, as its own script would set the
// widget up (`window.stratusSettings`): for the browser tests of the signed-in widget.
import type { BrowserContext } from "playwright-core";
import { watchPage } from "./browser.ts";

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
  const root = page.locator("stratus-widget");
  const widget = {
    root,
    launcher: root.locator("button.launcher"),
    status: root.locator(".status"),
    notices: root.locator(".notice"),
    userTexts: () => root.locator(".message.user:not(.pending) p").allTextContents(),
    async ask(text: string): Promise<string> {
      const before = await root.locator(".message.bot").count();
      await root.locator("textarea").fill(text);
      await root.locator("textarea").press("Enter");
      const reply = root.locator(".message.bot p").nth(before);
      await reply.waitFor();
      return (await reply.textContent()) ?? "";
    },
  };
  await widget.launcher.waitFor();
  return { page, problems, widget };
}
