import { localeEntries } from "../../../../shared/languages/index.ts";
import type { EntityDefinition } from "../../../../shared/schemas/training.ts";
import type { ModelArtifact } from "./artifact.ts";
import { normalizePhrase } from "./text.ts";
import type { Example } from "./examples.ts";

export type CustomEntityArtifact = ModelArtifact["entities"];

/**
 * Regexes, lookup phrases and synonyms of a bot's entities. Synonym variants become lookup phrases
 * resolving to their canonical value; `[text](entity:canonical)` annotations add synonyms too.
 */
export function buildCustomEntities(definitions: Record<string, EntityDefinition>, examples: Example[]): CustomEntityArtifact {
  const regexes: CustomEntityArtifact["regexes"] = [];
  const lookups: CustomEntityArtifact["lookups"] = [];
  const synonyms: CustomEntityArtifact["synonyms"] = {};
  const seenLookups = new Set<string>();
  const addLookup = (entity: string, phrase: string, value: string, locale: CustomEntityArtifact["lookups"][number]["locale"]): void => {
    const normalized = normalizePhrase(phrase);
    const key = `${entity}\u0000${normalized}\u0000${locale}`;
    if (normalized === "" || seenLookups.has(key)) return;
    seenLookups.add(key);
    lookups.push({ entity, phrase: normalized, value, locale });
  };

  for (const entity of Object.keys(definitions).sort()) {
    const definition = definitions[entity] ?? {};
    for (const pattern of definition.regex ?? []) regexes.push({ entity, pattern });
    const variants: Record<string, string> = {};
    for (const [canonical, others] of Object.entries(definition.synonyms ?? {})) {
      variants[normalizePhrase(canonical)] = canonical;
      for (const other of others) variants[normalizePhrase(other)] = canonical;
    }
    const lookup = definition.lookup;
    // A plain list applies to every locale.
    const byLocale = Array.isArray(lookup) ? [["any", lookup] as const] : localeEntries(lookup ?? {});
    for (const [locale, phrases] of byLocale) {
      for (const phrase of phrases) addLookup(entity, phrase, variants[normalizePhrase(phrase)] ?? phrase, locale);
    }
    // Synonym variants are found in text like lookup phrases when the entity has a lookup list.
    if (lookup !== undefined) for (const [variant, canonical] of Object.entries(variants)) addLookup(entity, variant, canonical, "any");
    if (Object.keys(variants).length > 0) synonyms[entity] = variants;
  }

  for (const example of examples) {
    for (const span of example.spans) {
      const surface = normalizePhrase(example.text.slice(span.start, span.end));
      if (surface === normalizePhrase(span.value)) continue;
      const entitySynonyms = (synonyms[span.entity] ??= {});
      entitySynonyms[surface] ??= span.value;
    }
  }
  return { regexes, lookups, synonyms };
}
