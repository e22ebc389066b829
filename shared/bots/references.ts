// Checks what a schema cannot: that every name a bot uses exists (intents in nlu.yaml,
// responses, slots, forms, actions, entities), that templates only use known variables, and
// that every response, FAQ entry and NLU intent speaks every locale the bot declares. An action may read only
// the env vars its bot declares (`env:`), and never a platform setting (shared/env.ts).
import { isPlatformEnvName } from "../env.ts";
import type { BotDefinition, Condition, Step } from "../schemas/bot.ts";
import { OUT_OF_SCOPE, type Locale } from "../schemas/nlu.ts";
import type { TrainingData } from "../schemas/training.ts";
import { parseAnnotatedExample } from "../schemas/training.ts";
import { templateVariables } from "./templates.ts";

/** Entities the NLU engine always extracts (see shared/schemas/training.ts). */
const BUILT_IN_ENTITIES = ["number", "money", "datetime", "email", "phone"];

export function checkReferences(bot: BotDefinition, training: TrainingData, files: { bot: string; faq: string; nlu: string }): string[] {
  const errors: string[] = [];
  const at = (path: string, message: string) => errors.push(`${files.bot}: ${path}: ${message}`);
  const intents = new Set([...Object.keys(training.intents), OUT_OF_SCOPE]);
  const entities = knownEntities(training);
  const slotNames = new Set(Object.keys(bot.slots));

  const intent = (path: string, name: string) => {
    if (!intents.has(name)) at(path, `unknown intent "${name}" (not in nlu.yaml)`);
  };
  const response = (path: string, name: string | undefined) => {
    if (name !== undefined && !bot.responses[name]) at(path, `unknown response "${name}"`);
  };
  const slot = (path: string, name: string) => {
    if (!slotNames.has(name)) at(path, `unknown slot "${name}"`);
  };
  const condition = (path: string, when: Condition | undefined) => {
    for (const name of Object.keys(when?.slots ?? {})) slot(`${path}.slots.${name}`, name);
    (when?.entities ?? []).forEach((name, i) => {
      if (!entities.has(name)) at(`${path}.entities[${i}]`, `unknown entity "${name}" (not in nlu.yaml)`);
    });
  };
  const step = (path: string, s: Step) => {
    condition(`${path}.when`, s.when);
    if (Array.isArray(s.clearSlots)) s.clearSlots.forEach((name, i) => slot(`${path}.clearSlots[${i}]`, name));
    for (const name of Object.keys(s.setSlots ?? {})) slot(`${path}.setSlots.${name}`, name);
    (s.recall ?? []).forEach((name, i) => {
      slot(`${path}.recall[${i}]`, name);
      if (bot.slots[name] !== undefined && bot.slots[name].remember === undefined) at(`${path}.recall[${i}]`, `"${name}" is not remembered (no remember: profile.<field>), so there is nothing to recall`);
    });
    response(`${path}.response`, s.response);
    (s.responses ?? []).forEach((name, i) => response(`${path}.responses[${i}]`, name));
    if (s.action !== undefined && !bot.actions[s.action]) at(`${path}.action`, `unknown action "${s.action}"`);
    if (s.form !== undefined && !bot.forms[s.form]) at(`${path}.form`, `unknown form "${s.form}"`);
  };

  bot.rules.forEach((rule, i) => {
    if (Array.isArray(rule.intent)) rule.intent.forEach((name, j) => intent(`rules[${i}].intent[${j}]`, name));
    else if (rule.intent !== "*") intent(`rules[${i}].intent`, rule.intent);
    step(`rules[${i}]`, rule);
    if (rule.interrupt !== undefined && rule.intent === "*" && !rule.continue) {
      at(`rules[${i}].interrupt`, `a catch-all ("*") rule never interrupts a form; only a continue rule can (continue: true)`);
    }
  });
  response("digressions.resume", bot.digressions.resume);
  bot.affirmIntents.forEach((name, i) => intent(`affirmIntents[${i}]`, name));
  bot.denyIntents.forEach((name, i) => intent(`denyIntents[${i}]`, name));
  bot.handoff.intents.forEach((name, i) => intent(`handoff.intents[${i}]`, name));
  response("handoff.response", bot.handoff.response);
  response("disclaimer", bot.disclaimer);
  for (const key of ["rephrase", "offerHuman", "declined"] as const) response(`fallback.${key}`, bot.fallback[key]);

  for (const [name, definition] of Object.entries(bot.slots)) {
    definition.entity.forEach((entity, i) => {
      if (!entities.has(entity)) at(`slots.${name}.entity[${i}]`, `unknown entity "${entity}" (not in nlu.yaml)`);
    });
    // Labels and free-words examples are read in the user's language: each needs every locale.
    for (const key of ["labels", "examples"] as const) {
      const byValue: Record<string, Partial<Record<Locale, unknown>>> = definition[key] ?? {};
      for (const [value, byLocale] of Object.entries(byValue)) {
        for (const locale of bot.locales) {
          if (byLocale[locale] === undefined) at(`slots.${name}.${key}.${value}`, `missing locale "${locale}" (the bot declares ${bot.locales.join(", ")})`);
        }
      }
    }
  }

  for (const [name, form] of Object.entries(bot.forms)) {
    const path = `forms.${name}`;
    form.slots.forEach((formSlot, i) => {
      slot(`${path}.slots[${i}].slot`, formSlot.slot);
      response(`${path}.slots[${i}].ask`, formSlot.ask);
      response(`${path}.slots[${i}].invalid`, formSlot.invalid);
      response(`${path}.slots[${i}].confirm`, formSlot.confirm);
      const confirmed = bot.slots[formSlot.slot];
      if (formSlot.confirm !== undefined && confirmed?.examples === undefined && confirmed?.remember === undefined) {
        at(`${path}.slots[${i}].confirm`, `only an enum slot with free-words examples, or a remembered slot, is ever confirmed ("${formSlot.slot}" is neither)`);
      }
      const entity = formSlot.validate?.entity;
      if (entity !== undefined && !entities.has(entity)) at(`${path}.slots[${i}].validate.entity`, `unknown entity "${entity}"`);
    });
    form.then.forEach((s, i) => step(`${path}.then[${i}]`, s));
    response(`${path}.corrected`, form.corrected);
    response(`${path}.resume`, form.resume);
    if (form.cancel) {
      response(`${path}.cancel.response`, form.cancel.response);
      form.cancel.intents.forEach((name, i) => intent(`${path}.cancel.intents[${i}]`, name));
    }
  }

  const declaredEnv = new Set(bot.env);
  const envVariable = (where: string, variable: string) => {
    const name = variable.slice("env.".length);
    if (isPlatformEnvName(name)) at(where, `"{${variable}}": ${name} is a platform setting, which no bot may read`);
    else if (!declaredEnv.has(name)) at(where, `"{${variable}}": ${name} is not declared in env (add it to the bot's env: list)`);
  };

  for (const [name, action] of Object.entries(bot.actions)) {
    const path = `actions.${name}`;
    const actionVariable = (where: string, variable: string) => {
      if (variable.startsWith("env.")) envVariable(where, variable);
      // `{locale}`: the reply's language, so a backend can word its answer in it (unless a slot has that name).
      else if (!slotNames.has(variable) && variable !== "locale") at(where, `unknown variable "{${variable}}" (not a slot, locale or env.NAME)`);
    };
    for (const variable of templateVariables(action.url)) actionVariable(`${path}.url`, variable);
    for (const [header, value] of Object.entries(action.headers)) {
      for (const variable of templateVariables(value)) actionVariable(`${path}.headers.${header}`, variable);
    }
    for (const variable of templateVariables(JSON.stringify(action.body ?? null))) actionVariable(`${path}.body`, variable);
    for (const slotName of Object.keys(action.save)) slot(`${path}.save.${slotName}`, slotName);
    action.responses.forEach((outcome, i) => {
      response(`${path}.responses[${i}].response`, outcome.response);
      for (const slotName of Object.keys(outcome.save ?? {})) slot(`${path}.responses[${i}].save.${slotName}`, slotName);
      (outcome.clearSlots ?? []).forEach((slotName, j) => slot(`${path}.responses[${i}].clearSlots[${j}]`, slotName));
      if (outcome.form !== undefined && !bot.forms[outcome.form]) at(`${path}.responses[${i}].form`, `unknown form "${outcome.form}"`);
    });
    response(`${path}.onError`, action.onError);
  }

  for (const [name, definition] of Object.entries(bot.responses)) {
    for (const locale of bot.locales) {
      const localized = definition[locale];
      if (!localized) {
        at(`responses.${name}`, `missing locale "${locale}" (the bot declares ${bot.locales.join(", ")})`);
        continue;
      }
      const replyVariables = (where: string, text: string) => {
        for (const variable of templateVariables(text)) {
          if (variable.startsWith("env.")) at(where, `"{${variable}}": environment values must not appear in replies`);
          // `{profile.<field>}` is checked against the bot's profile.read by its schema.
          else if (variable !== "bot_name" && !variable.startsWith("profile.") && !slotNames.has(variable)) {
            at(where, `unknown variable "{${variable}}" (not a slot)`);
          }
        }
      };
      localized.text.forEach((text, i) => replyVariables(`responses.${name}.${locale}[${i}]`, text));
      // Quick replies are templates too ("{rec_1_name}": a button per recommended product).
      (localized.quickReplies ?? []).forEach((text, i) => replyVariables(`responses.${name}.${locale}.quickReplies[${i}]`, text));
      // So are cards, and a button's postback: no sensitive value may go into one (they are kept unmasked).
      const cardVariables = (where: string, text: string) => {
        replyVariables(where, text);
        for (const variable of templateVariables(text)) {
          if (bot.slots[variable]?.sensitive === true) at(where, `"{${variable}}" is a sensitive slot, which a card must not show or carry`);
        }
      };
      (localized.cards ?? []).forEach((card, c) => {
        const where = `responses.${name}.${locale}.cards[${c}]`;
        for (const key of ["title", "subtitle", "imageUrl", "price"] as const) {
          const text = card[key];
          if (text !== undefined) cardVariables(`${where}.${key}`, text);
        }
        card.buttons.forEach((button, b) => {
          const path = `${where}.buttons[${b}]`;
          cardVariables(`${path}.title`, button.title);
          if (button.text !== undefined) cardVariables(`${path}.text`, button.text);
          // What a tap does is a step (its slots, response, action, form); its slot values are card templates.
          step(path, button);
          for (const [slotName, value] of Object.entries(button.setSlots ?? {})) cardVariables(`${path}.setSlots.${slotName}`, value);
        });
      });
    }
  }

  const faqIds = new Set<string>();
  (bot.faq?.entries ?? []).forEach((entry, i) => {
    if (faqIds.has(entry.id)) errors.push(`${files.faq}: entries[${i}].id: duplicate FAQ id "${entry.id}"`);
    faqIds.add(entry.id);
    for (const locale of bot.locales) {
      if (!entry[locale]) errors.push(`${files.faq}: entries[${i}]: missing locale "${locale}" for "${entry.id}"`);
    }
  });
  // The NLU can only understand an intent in a language it has examples of.
  for (const [name, byLocale] of Object.entries(training.intents)) {
    for (const locale of bot.locales) {
      if ((byLocale[locale]?.length ?? 0) === 0) {
        errors.push(`${files.nlu}: intents.${name}: no examples in locale "${locale}" (the bot declares ${bot.locales.join(", ")})`);
      }
    }
  }
  return errors;
}

/** Entities declared in nlu.yaml, annotated in its examples, or built in. */
function knownEntities(training: TrainingData): Set<string> {
  const names = new Set([...BUILT_IN_ENTITIES, ...Object.keys(training.entities ?? {})]);
  for (const byLocale of Object.values(training.intents)) {
    for (const example of Object.values(byLocale).flat()) {
      for (const span of parseAnnotatedExample(example).spans) names.add(span.entity);
    }
  }
  return names;
}
