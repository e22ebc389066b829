// Recommendations as product cards in the shop's widget (headless Chromium, the real Workers on
// workerd, the demo shop on loopback): a signed-in shopper sees her picks with their pictures,
// prices and buttons, taps "View" on one, and the tap is answered as that product and counted —
// the operator's GET /v1/analytics shows the click-through.
import { describe, expect, it } from "vitest";
import { OPERATOR_API_KEY } from "../../devkit/local-stack.ts";
import { signDevUserToken } from "../../devkit/user-tokens.ts";
import { AnalyticsResponseSchema, type AnalyticsResponse } from "../../shared/schemas/index.ts";
import { artifactPath, chromiumMissing } from "../harness/browser.ts";
import { browserStackForFile } from "../harness/browser-stack.ts";
import { openShopSignedIn } from "../harness/shop-widget.ts";

const skip = chromiumMissing("the recommendation cards browser test");

const stack = browserStackForFile(skip);
const startedAt = new Date(Date.now() - 60_000).toISOString();

/** The shop's recommendation figures, once the analytics have counted what `counted` waits for (reports travel through a queue). */
async function recommendationFigures(counted: (figures: AnalyticsResponse["totals"]["recommendations"]) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await stack.environment.stratus.fetch(`/v1/analytics?bot=ecommerce&from=${startedAt}&interval=1h`, { headers: { Authorization: `Bearer ${OPERATOR_API_KEY}` } });
    expect(response.status).toBe(200);
    const figures = AnalyticsResponseSchema.parse(await response.json()).totals.recommendations;
    if (counted(figures) || Date.now() > deadline) return figures;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(skip)("recommendation cards in the widget", () => {
  it("shows product cards; a tap on View is answered as that product and raises the click-through", async () => {
    const context = await stack.browser.newContext({ locale: "en-US" });
    const { page, problems, widget } = await openShopSignedIn(context, stack.environment.stratus.url, { userToken: await signDevUserToken({ sub: "alice" }) });
    const { root } = widget;
    await widget.launcher.click();
    await widget.status.getByText("Connected").waitFor();
    await widget.send("recommend me something");

    const cards = root.locator(".message.bot .card");
    await cards.nth(2).waitFor();
    expect(await cards.locator(".card-title").allTextContents()).toEqual(["House blend coffee beans (1 kg)", "Paper coffee filters (100)", "A5 dotted notebook"]);
    expect(await cards.first().locator(".card-price").textContent()).toBe("$18.00");
    expect(await cards.first().locator(".card-subtitle").textContent()).toBe("You bought this before (5 orders)");
    // The pictures come from the shop's own site (its CSP allows images from itself only) and load.
    const image = cards.first().locator("img.card-image");
    expect(await image.getAttribute("src")).toBe("/products/coffee.svg");
    await expect.poll(() => image.evaluate((element) => (element as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    // Before any tap: three shown, none clicked.
    const shown = await recommendationFigures((figures) => figures.shown >= 3);
    expect(shown).toEqual({ shown: 3, clicked: 0, clickThroughRate: 0 });

    await cards.nth(1).getByRole("button", { name: "View: Paper coffee filters (100)" }).click();
    const details = root.locator(".message.bot p").filter({ hasText: "Paper coffee filters (100): $5.50, in Coffee & kitchen." });
    await details.waitFor();
    // The tap is the user's message, as the button sent it.
    await root.locator(".message.user p").filter({ hasText: "View: Paper coffee filters (100)" }).waitFor();

    await page.screenshot({ path: artifactPath("recommendation-cards.png") });

    const clicked = await recommendationFigures((figures) => figures.clicked >= 1);
    expect(clicked).toEqual({ shown: 3, clicked: 1, clickThroughRate: 1 / 3 });

    expect(problems.cspViolations).toEqual([]);
    expect(problems.errors).toEqual([]);
    await context.close();
  }, 90_000);
});
