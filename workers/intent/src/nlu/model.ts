import { type LanguageProfile, PROFILE_BUCKETS } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { describeZodError } from "../../../../shared/zod-issues.ts";
import { type ModelArtifact, ModelArtifactSchema } from "./artifact.ts";
import { i8, num, u8 } from "./checked.ts";
import { base64ToBytes, base64ToInt8, base64ToUint32 } from "./codec.ts";
import type { CustomEntities } from "./entities/custom.ts";
import { tagNames } from "./entities/bio.ts";
import { decodeHanBigrams } from "./homophones.ts";
import type { RuntimeTagger } from "./entities/sequence.ts";
import type { Vocabulary } from "./vectorize.ts";

/** A loaded model, ready for `parse`: decoded arrays and lookup maps built once per isolate. */
export interface NluModel {
  threshold: number;
  /** The bot's locales, its default first. */
  locales: [Locale, ...Locale[]];
  /** For the locale detector when two of the locales share a script; null otherwise. */
  languageProfile: LanguageProfile | null;
  intents: string[];
  vocabulary: Vocabulary;
  /** Weight row of each vocabulary column, or -1 when the feature has no weights. */
  rowOfColumn: Int32Array;
  weights: Int8Array;
  scales: Float64Array;
  bias: Float64Array;
  temperature: number;
  custom: CustomEntities;
  tagger: RuntimeTagger | null;
  /** The two-character Han words the bot knows (homophones.ts); empty without Chinese. */
  hanBigrams: ReadonlySet<string>;
}

/** Validates an artifact (schema and array sizes) and decodes it; throws an Error saying what is wrong. */
export function loadModel(artifact: unknown): NluModel {
  const parsed = ModelArtifactSchema.safeParse(artifact);
  if (!parsed.success) throw new Error(`invalid NLU model artifact: ${describeZodError(parsed.error)}`);
  return decodeArtifact(parsed.data);
}

function check(condition: boolean, problem: string): void {
  if (!condition) throw new Error(`invalid NLU model artifact: ${problem}`);
}

function decodeArtifact(artifact: ModelArtifact): NluModel {
  const { classifier } = artifact;
  const classes = artifact.intents.length;
  const featureIds = base64ToUint32(classifier.featureIds);
  const weightCodes = base64ToBytes(classifier.featureWeightCodes);
  const rows = base64ToUint32(classifier.rows);
  const weights = base64ToInt8(classifier.weights);
  check(weightCodes.length === featureIds.length, "classifier.featureWeightCodes does not match featureIds");
  check(weights.length === rows.length * classes, "classifier.weights is not rows × intents");
  check(classifier.scales.length === classes && classifier.bias.length === classes, "classifier scales/bias are not one per intent");

  const columnById = new Map<number, number>();
  const columnWeights = new Float32Array(featureIds.length);
  featureIds.forEach((id, column) => {
    columnById.set(id, column);
    columnWeights[column] = u8(weightCodes, column) * classifier.featureWeightScale;
  });
  const rowOfColumn = new Int32Array(featureIds.length).fill(-1);
  rows.forEach((column, row) => {
    check(column < featureIds.length, "classifier.rows points past featureIds");
    rowOfColumn[column] = row;
  });

  const synonyms = new Map<string, Map<string, string>>();
  for (const [entity, variants] of Object.entries(artifact.entities.synonyms)) {
    synonyms.set(entity, new Map(Object.entries(variants)));
  }
  const custom: CustomEntities = {
    regexes: artifact.entities.regexes.map(({ entity, pattern }) => ({ entity, pattern: compileRegex(entity, pattern) })),
    lookups: artifact.entities.lookups,
    synonyms,
  };

  let tagger: NluModel["tagger"] = null;
  if (artifact.tagger) {
    const tags = tagNames(artifact.tagger.entityTypes).length;
    const taggerIds = base64ToUint32(artifact.tagger.featureIds);
    const emissions = base64ToInt8(artifact.tagger.weights);
    check(emissions.length === taggerIds.length * tags, "tagger.weights is not features × tags");
    check(artifact.tagger.scales.length === tags, "tagger.scales is not one per tag");
    check(artifact.tagger.transitions.length === (tags + 1) * tags, "tagger.transitions is not (tags + 1) × tags");
    check(artifact.tagger.spanRules.length === artifact.tagger.entityTypes.length, "tagger.spanRules is not one per entity type");
    const rowById = new Map<number, number>();
    taggerIds.forEach((id, row) => rowById.set(id, row));
    tagger = {
      entityTypes: artifact.tagger.entityTypes,
      tagCount: tags,
      rowById,
      emissions: sparseRows(emissions, taggerIds.length, tags, artifact.tagger.scales),
      transitions: Float64Array.from(artifact.tagger.transitions),
      spanRules: artifact.tagger.spanRules,
    };
  }

  return {
    threshold: artifact.threshold,
    locales: artifact.locales,
    languageProfile: decodeLanguageProfile(artifact.languageProfile),
    intents: artifact.intents,
    vocabulary: { columnById, columnWeights },
    rowOfColumn,
    weights,
    scales: Float64Array.from(classifier.scales),
    bias: Float64Array.from(classifier.bias),
    temperature: classifier.temperature,
    custom,
    tagger,
    hanBigrams: decodeHanBigrams(artifact.hanBigrams ?? ""),
  };
}

function decodeLanguageProfile(profile: ModelArtifact["languageProfile"]): LanguageProfile | null {
  if (!profile) return null;
  const codes = base64ToBytes(profile.codes);
  const count = profile.locales.length;
  check(codes.length === count * PROFILE_BUCKETS, "languageProfile.codes is not locales × buckets");
  check(profile.base.length === count && profile.scale.length === count, "languageProfile base/scale are not one per locale");
  const logProbabilities = profile.locales.map((_, i) => {
    const base = profile.base[i] ?? 0;
    const scale = profile.scale[i] ?? 0;
    return Float32Array.from(codes.subarray(i * PROFILE_BUCKETS, (i + 1) * PROFILE_BUCKETS), (code) => base + code * scale);
  });
  return { locales: profile.locales, logProbabilities };
}

/** int8 [rows × columns] codes × per-column scales → CSR of the non-zero weights (most are zero). */
function sparseRows(codes: Int8Array, rows: number, columns: number, scales: number[]): RuntimeTagger["emissions"] {
  let nonZero = 0;
  for (const code of codes) if (code !== 0) nonZero++;
  const rowStart = new Uint32Array(rows + 1);
  const tags = new Uint16Array(nonZero);
  const weights = new Float32Array(nonZero);
  let next = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = next;
    for (let c = 0; c < columns; c++) {
      const code = i8(codes, r * columns + c);
      if (code === 0) continue;
      tags[next] = c;
      weights[next] = code * num(scales, c);
      next++;
    }
  }
  rowStart[rows] = next;
  return { rowStart, tags, weights };
}

function compileRegex(entity: string, pattern: string): RegExp {
  try {
    // redos-check: bot-authored (the bot's own regex; `npm run validate` refuses a super-linear one)
    return new RegExp(pattern, "giu");
  } catch (error) {
    throw new Error(`invalid NLU model artifact: entities.regexes: ${entity}: ${(error as Error).message}`);
  }
}
