// The example bots are valid, and broken bot files are reported with file, path and reason.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConversationTests } from "../../../devkit/bots/conversation-tests.ts";
import { loadBots } from "../../../devkit/bots/load-bots.ts";
import { ROOT } from "./engine/helpers.ts";

const temporaryRoots: string[] = [];
afterEach(() => {
  for (const dir of temporaryRoots.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of bots/ecommerce in a scratch root, edited by `edit(botYaml)`. */
function brokenCopy(edit: (botYaml: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), "stratus-bots-"));
  temporaryRoots.push(root);
  cpSync(join(ROOT, "bots/ecommerce"), join(root, "bots/ecommerce"), { recursive: true });
  const file = join(root, "bots/ecommerce/bot.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
  return root;
}

describe("bot files", () => {
  it("the example bots and their conversation tests are valid", () => {
    const { bots, errors } = loadBots(ROOT);
    const testErrors = bots.flatMap((bot) => loadConversationTests(bot, ROOT).errors);
    expect([...errors, ...testErrors]).toEqual([]);
    expect(bots.map((bot) => bot.id)).toEqual(["ecommerce", "finance", "health"]);
  });

  it("names file and path of an unknown response, intent and template variable", () => {
    const root = brokenCopy((yaml) =>
      yaml
        .replace("  - intent: greet\n    response: utter_greet", "  - intent: greet\n    response: utter_hello")
        .replace("  - intent: goodbye\n", "  - intent: farewell\n")
        .replace("Order {order_id} has shipped", "Order {order_number} has shipped"),
    );
    const { errors } = loadBots(root);
    expect(errors).toContain('bots/ecommerce/bot.yaml: rules[0].response: unknown response "utter_hello"');
    expect(errors).toContain('bots/ecommerce/bot.yaml: rules[1].intent: unknown intent "farewell" (not in nlu.yaml)');
    expect(errors).toContain('bots/ecommerce/bot.yaml: responses.utter_order_shipped.en[0]: unknown variable "{order_number}" (not a slot)');
  });

  it("checks a card's templates and its buttons' steps, and refuses a sensitive value in a card", () => {
    const root = brokenCopy((yaml) =>
      yaml
        .replace('subtitle: "{rec_1_reason}"', 'subtitle: "{rec_1_why}"')
        .replace('setSlots: { product_id: "{rec_1_id}" }, action: product_details }', 'setSlots: { product: "{rec_1_id}" }, action: product_page }')
        .replace('price: "{rec_2_price}"', 'price: "{order_proof}"'),
    );
    const { errors } = loadBots(root);
    expect(errors).toContain('bots/ecommerce/bot.yaml: responses.utter_recommendations.en.cards[0].subtitle: unknown variable "{rec_1_why}" (not a slot)');
    expect(errors).toContain('bots/ecommerce/bot.yaml: responses.utter_recommendations.en.cards[0].buttons[0].setSlots.product: unknown slot "product"');
    expect(errors).toContain('bots/ecommerce/bot.yaml: responses.utter_recommendations.en.cards[0].buttons[0].action: unknown action "product_page"');
    expect(errors).toContain('bots/ecommerce/bot.yaml: responses.utter_recommendations.en.cards[1].price: "{order_proof}" is a sensitive slot, which a card must not show or carry');
  });

  it("reports a response missing a locale", () => {
    const root = brokenCopy((yaml) => yaml.replace('    zh: ["再见，感谢您的光临！", "再见，祝您生活愉快！"]\n', ""));
    expect(loadBots(root).errors).toEqual(['bots/ecommerce/bot.yaml: responses.utter_goodbye: missing locale "zh" (the bot declares en, zh, es)']);
  });

  it("reports a schema error with its path", () => {
    const root = brokenCopy((yaml) => yaml.replace("timeoutMs: 2000", "timeoutMs: fast"));
    const { errors } = loadBots(root);
    expect(errors).toHaveLength(1);
    // The first action with a 2,000 ms timeout (the shop's actions share the setting).
    expect(errors[0]).toMatch(/^bots\/ecommerce\/bot\.yaml: actions\.\w+\.timeoutMs: /);
  });

  it("refuses an action that reads an env var its bot does not declare, or a platform setting", () => {
    const root = brokenCopy((yaml) =>
      yaml
        // lookup_order's headers (the other order actions share them through a YAML alias: given their own here).
        .replaceAll("headers: *order_headers", 'headers: { Authorization: "Bearer {env.ORDER_API_TOKEN}" }')
        .replace(
          'headers: &order_headers { Authorization: "Bearer {env.ORDER_API_TOKEN}", X-Order-Proof: "{order_proof}" }',
          'headers: { Authorization: "Bearer {env.LLM_API_KEY}", X-Shop: "{env.SHOP_SECRET}" }',
        )
        .replace('"{env.ORDER_API_URL}/orders/{order_id}/cancel"', '"{env.ORDER_URL}/orders/{order_id}/cancel"')
        .replace('body: { reason: "{return_reason}" }', 'body: { reason: "{return_reason}", key: "{env.OPERATOR_API_KEY}" }'),
    );
    expect(loadBots(root).errors).toEqual([
      'bots/ecommerce/bot.yaml: actions.lookup_order.headers.Authorization: "{env.LLM_API_KEY}": LLM_API_KEY is a platform setting, which no bot may read',
      'bots/ecommerce/bot.yaml: actions.lookup_order.headers.X-Shop: "{env.SHOP_SECRET}": SHOP_SECRET is not declared in env (add it to the bot\'s env: list)',
      'bots/ecommerce/bot.yaml: actions.cancel_order.url: "{env.ORDER_URL}": ORDER_URL is not declared in env (add it to the bot\'s env: list)',
      'bots/ecommerce/bot.yaml: actions.create_return.body: "{env.OPERATOR_API_KEY}": OPERATOR_API_KEY is a platform setting, which no bot may read',
    ]);
  });

  it("refuses a bot that declares a platform setting in env", () => {
    const root = brokenCopy((yaml) => yaml.replace("env: [ORDER_API_URL, ORDER_API_TOKEN]", "env: [ORDER_API_URL, ORDER_API_TOKEN, LLM_API_KEY]"));
    const { errors } = loadBots(root);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bots\/ecommerce\/bot\.yaml: env\[2\]: "LLM_API_KEY" is a platform setting, which no bot may read \(reserved: TOKEN_SECRET, .*LLM_\*, STRATUS_\*.*\)$/);
  });

  it("npm run validate exits 0 on the example bots", () => {
    const ok = spawnSync(process.execPath, [join(ROOT, "cli/validate.ts")], { encoding: "utf8" });
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("validate: 3 bot(s)");
  });

  it("npm run validate exits 1 and prints the problem for a broken bot", () => {
    const root = brokenCopy((yaml) => yaml.replace("form: order_status_form", "form: order_form"));
    const run = spawnSync(process.execPath, [join(ROOT, "cli/validate.ts"), "--root", root], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('bots/ecommerce/bot.yaml: rules[3].form: unknown form "order_form"');
  });

  it("npm run validate exits 1 for an action that would send the platform's LLM key", () => {
    const root = brokenCopy((yaml) => yaml.replace('"Bearer {env.ORDER_API_TOKEN}"', '"Bearer {env.LLM_API_KEY}"'));
    const run = spawnSync(process.execPath, [join(ROOT, "cli/validate.ts"), "--root", root], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /bots\/ecommerce\/bot\.yaml: actions\.\w+\.headers\.Authorization: "\{env\.LLM_API_KEY\}": LLM_API_KEY is a platform setting, which no bot may read/,
    );
  });
});
