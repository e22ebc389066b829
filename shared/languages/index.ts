/** The languages the platform knows (data), their scripts, and the one locale detector every stage uses. */
export { LANGUAGES, LOCALES, isLocale, languageOf, localeEntries, type Language, type Locale } from "./languages.ts";
export { SCRIPTS, inScript, scriptOf, type ScriptName } from "./scripts.ts";
export { CHARACTER_SCRIPTS, charStandsAlone, standsAlone } from "./segmentation.ts";
export {
  LOCALE_EVIDENCE,
  PROFILE_BUCKETS,
  detectLocale,
  trainLanguageProfile,
  type LanguageProfile,
  type LocaleDetection,
  type LocaleEvidence,
} from "./detect.ts";
export { PROFILE_PHRASES, forgetRequest, type ForgettablePurpose, type ProfilePhrases } from "./profile-phrases.ts";
