// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, for the tests that use
// the web clients as a person would. Locally the browser tests skip with a message when Chromium is
// absent; in CI (CI=true, .ci/run installs it) a missing Chromium fails them instead.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { ROOT } from "../../devkit/local-stack.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** True when the browser tests cannot run here; throws in CI, where they must. */
export function chromiumMissing(suite: string): boolean {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI) throw new Error(`${suite}: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  console.warn(`skipping ${suite}: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  return true;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

/** Where screenshots go (git-ignored). */
export function artifactPath(name: string): string {
  const dir = join(ROOT, "test-artifacts");
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export interface PageProblems {
  /** Content-Security-Policy violations the page reported. */
  cspViolations: string[];
  /** Uncaught exceptions and console errors. */
  errors: string[];
  /** Dialogs (alert, confirm…) something tried to open. */
  dialogs: string[];
}

/** Records what went wrong on a page: CSP violations, errors, dialogs (dismissed). */
export async function watchPage(page: Page): Promise<PageProblems> {
  const problems: PageProblems = { cspViolations: [], errors: [], dialogs: [] };
  await page.exposeFunction("__reportCspViolation", (text: string) => problems.cspViolations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const page = window as unknown as { __reportCspViolation: (text: string) => void };
      page.__reportCspViolation(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    });
  });
  page.on("pageerror", (error) => problems.errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.errors.push(message.text());
  });
  page.on("dialog", (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}
