// The stack a browser test file drives: the conversation test environment (the real Workers on
// workerd with the demo backends on loopback) and one headless Chromium, started before the file's
// tests and closed after them.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { startConversationTestEnvironment, type ConversationTestEnvironment } from "../../devkit/bots/conversation-runner.ts";
import { launchChromium } from "./browser.ts";

export interface BrowserStack {
  environment: ConversationTestEnvironment;
  browser: Browser;
}

/**
 * Registers the file's beforeAll and afterAll for a BrowserStack and returns it; its fields are set
 * once beforeAll has run. Nothing starts when `skip` (no Chromium here: `chromiumMissing`).
 */
export function browserStackForFile(skip: boolean): BrowserStack {
  const stack: Partial<BrowserStack> = {};
  beforeAll(async () => {
    if (skip) return;
    stack.environment = await startConversationTestEnvironment();
    stack.browser = await launchChromium();
  });
  afterAll(async () => {
    await stack.browser?.close();
    await stack.environment?.close();
  });
  // The tests read the fields only after beforeAll has set them.
  return stack as BrowserStack;
}
