// A new bot folder from the template (scaffold-content.ts): bot.yaml, nlu.yaml, faq.yaml,
// nlu-holdout.yaml and tests/basics.yaml, in the languages asked for, default first. Used by
// `npx stratus init`. The files are checked the way `npm run validate` checks them before the
// folder is kept, so a new bot always starts valid.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { Document, isMap, isScalar, visit } from "yaml";
import { BotIdSchema } from "../../shared/schemas/bot.ts";
import { LOCALES } from "../../shared/languages/index.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import { loadConversationTests } from "./conversation-tests.ts";
import { loadBot } from "./load-bots.ts";
import {
  TEMPLATE_FAQ,
  TEMPLATE_INTENTS,
  TEMPLATE_LANGUAGES,
  TEMPLATE_RESPONSES,
  type TemplateLanguage,
} from "./scaffold-content.ts";

export interface ScaffoldOptions {
  id: string;
  /** Shown to users (`{bot_name}`); default: the id in words ("demo-bot" → "Demo bot"). */
  name?: string | undefined;
  /** The bot's languages, default first. */
  locales: Locale[];
}

/** The languages the template is written in. */
export const SCAFFOLD_LOCALES = LOCALES.filter((locale) => TEMPLATE_LANGUAGES[locale] !== undefined);

/** What is wrong with a bot id (undefined: nothing). */
export function botIdProblem(id: string): string | undefined {
  const result = BotIdSchema.safeParse(id);
  return result.success ? undefined : `"${id}" is not a bot id: ${result.error.issues[0]?.message ?? "invalid"} (at most 64, starting with a letter)`;
}

/** What is wrong with a list of languages (undefined: nothing). */
export function localesProblem(locales: readonly string[]): string | undefined {
  if (locales.length === 0) return "give at least one language";
  const unknown = locales.filter((locale) => !(SCAFFOLD_LOCALES as readonly string[]).includes(locale));
  if (unknown.length > 0) return `no template for ${unknown.map((l) => `"${l}"`).join(", ")} (the template speaks ${SCAFFOLD_LOCALES.join(", ")})`;
  const repeated = locales.filter((locale, i) => locales.indexOf(locale) !== i);
  if (repeated.length > 0) return `${repeated.map((l) => `"${l}"`).join(", ")} given twice`;
  return undefined;
}

const defaultName = (id: string) => {
  const words = id.replace(/[-_]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The new bot's files as text, by path inside its folder. */
export function scaffoldFiles(options: ScaffoldOptions): Record<string, string> {
  const { id, locales } = options;
  const problem = botIdProblem(id) ?? localesProblem(locales);
  if (problem !== undefined) throw new Error(problem);
  const name = options.name?.trim() || defaultName(id);
  const languages = locales.map((locale) => [locale, TEMPLATE_LANGUAGES[locale] as TemplateLanguage] as const);
  const perLocale = <T>(pick: (language: TemplateLanguage) => T): Partial<Record<Locale, T>> =>
    Object.fromEntries(languages.map(([locale, language]) => [locale, pick(language)]));
  const [defaultLocale] = locales as [Locale, ...Locale[]];

  const bot = {
    id,
    name,
    description: `A new Stratus bot: opening hours and address from its FAQ, a contact request, a handoff to a person.`,
    locales,
    defaultLocale,
    slots: { email: { type: "text", entity: "email" } },
    rules: [
      { intent: "greet", response: "utter_greet" },
      { intent: "goodbye", response: "utter_goodbye" },
      { intent: "thanks", response: "utter_youre_welcome" },
      { intent: "contact_request", form: "contact_form" },
      { intent: ["affirm", "deny"], response: "utter_anything_else" },
    ],
    forms: {
      contact_form: {
        slots: [{ slot: "email", ask: "utter_ask_email", invalid: "utter_invalid_email", validate: { entity: "email" } }],
        then: [{ response: "utter_contact_confirmed" }],
        cancel: { intents: ["deny"], words: languages.flatMap(([, language]) => language.cancelWords), response: "utter_form_cancelled" },
      },
    },
    fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer_human", offerHumanAfter: 2, declined: "utter_human_declined" },
    handoff: { intents: ["human_handoff"], response: "utter_handoff" },
    responses: Object.fromEntries(TEMPLATE_RESPONSES.map((response) => [response, perLocale((language) => language.responses[response])])),
  };
  const nlu = {
    version: 1,
    intents: Object.fromEntries(TEMPLATE_INTENTS.map((intent) => [intent, perLocale((language) => language.examples[intent])])),
  };
  const faq = {
    entries: TEMPLATE_FAQ.map((entry) => ({ id: entry, ...perLocale((language) => language.faq[entry]) })),
  };
  const holdout = {
    version: 1,
    intents: Object.fromEntries(TEMPLATE_INTENTS.map((intent) => [intent, perLocale((language) => language.holdout[intent])])),
  };
  // A bot of several languages detects each message's; the tests pin the conversation's instead,
  // so that they test the bot, not the detector on two-word messages.
  const pinLocale = (locale: Locale) => (locales.length > 1 ? { locale } : {});
  const tests = {
    tests: languages.flatMap(([locale, { test, cancelWords }]) => [
      {
        name: test.name,
        ...pinLocale(locale),
        turns: [
          { user: test.greet, intent: "greet", response: "utter_greet" },
          { user: test.faqOpeningHours, responses: ["faq:opening_hours"] },
          { user: test.contactRequest, intent: "contact_request", responses: ["utter_ask_email"] },
          { user: test.emailAnswer, responses: ["utter_contact_confirmed"], slots: { email: test.email } },
        ],
      },
      {
        name: test.invalidName,
        ...pinLocale(locale),
        turns: [
          { user: test.contactRequest, responses: ["utter_ask_email"] },
          { user: test.notAnEmail, responses: ["utter_invalid_email"], slots: { email: null } },
          { user: cancelWords[0] ?? "cancel", responses: ["utter_form_cancelled"] },
        ],
      },
      { name: test.handoffName, ...pinLocale(locale), turns: [{ user: test.handoff, handoff: true }] },
    ]),
  };

  const shell = `npx stratus shell ${id} --start`;
  return {
    "bot.yaml": yamlText(bot, [
      `${name}: what the bot says and does. Written by \`npx stratus init\`: make it yours.`,
      `Reference: docs/bots.md. Check: npm run validate. Chat with it: ${shell}`,
    ], {
      slots: "Slots are what the bot remembers; this one is filled whenever the NLU finds an email address.",
      rules: "The first rule whose intent matches decides the answer; ask_faq has no rule, so the FAQ answers it.",
      forms: "A form asks for its slots until each is valid, then runs `then`.",
      responses: "Every response in every language of `locales`; {bot_name} and {slot} are filled in.",
    }),
    "nlu.yaml": yamlText(nlu, [
      `What ${name}'s NLU is trained on (format: shared/schemas/training.ts): examples per intent and language.`,
      `Every intent the rules, the form and the handoff use needs examples. Evaluate: npx stratus test nlu ${id}`,
    ]),
    "faq.yaml": yamlText(faq, [`${name}'s knowledge base: questions and the answer, per language (docs/bots.md, "FAQ").`]),
    "nlu-holdout.yaml": yamlText(holdout, [
      "Paraphrases kept apart from nlu.yaml: `npx stratus test nlu` scores the model on them. Never copy them into",
      "nlu.yaml, or the score stops measuring how the bot understands what it was not taught.",
    ]),
    "tests/basics.yaml": yamlText(tests, [
      `Conversation tests, replayed on the real Workers: npm run test:conversations -- --bot ${id}`,
      "(format: shared/schemas/conversation-test.ts).",
    ]),
  };
}

/** A list of short strings fits on one line: `locales: [en, zh]`. */
const FLOW_LIST_WIDTH = 60;

/** YAML text with a header comment, and a comment above some top-level keys. */
function yamlText(value: object, header: string[], keyComments: Record<string, string> = {}): string {
  const document = new Document(value);
  visit(document, {
    Seq(_, list) {
      const items = list.items;
      if (items.every(isScalar) && items.reduce((width, item) => width + String(item.value).length + 2, 0) <= FLOW_LIST_WIDTH) list.flow = true;
    },
  });
  document.commentBefore = header.map((line) => ` ${line}`).join("\n");
  if (isMap(document.contents)) {
    for (const pair of document.contents.items) {
      const comment = isScalar(pair.key) ? keyComments[String(pair.key.value)] : undefined;
      if (comment !== undefined && isScalar(pair.key)) pair.key.commentBefore = ` ${comment}`;
    }
  }
  return document.toString({ lineWidth: 0, flowCollectionPadding: false });
}

/**
 * Writes the new bot into `<root>/bots/<id>/` and returns the files written (relative to root).
 * Refuses a folder that exists. The bot is checked as `npm run validate` checks it; a template that
 * does not pass is removed again and reported (a bug in the template, which its test guards).
 */
export function writeScaffold(root: string, options: ScaffoldOptions): string[] {
  const files = scaffoldFiles(options);
  const dir = join(root, "bots", options.id);
  if (existsSync(dir)) throw new Error(`bots/${options.id} already exists: choose another id, or remove the folder first`);
  const written: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text, { flag: "wx" });
    written.push(`bots/${options.id}/${path}`);
  }
  const { bot, errors } = loadBot(dir, root);
  if (bot) errors.push(...loadConversationTests(bot, root).errors);
  if (errors.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the template does not validate (nothing written):\n  ${errors.join("\n  ")}`);
  }
  return written;
}
