/**
 * What a language contributes to the built-in extractors (numbers, money, dates, times): its word
 * lists and patterns, all written for normalised text (lowercase, diacritics folded: "mañana" is
 * matched as "manana"). A language without an entry here still gets the language-neutral patterns
 * (digits, ISO dates, 17:30, 5pm, $20, currency codes).
 */
import type { LocalDate } from "../calendar.ts";

/** A date expression found in normalised text. */
export interface DateMatch {
  start: number;
  end: number;
  date: LocalDate;
  /** "tonight", "今晚", "esta noche": a following "8 o'clock" means 20:00. */
  evening?: boolean;
  /** Relative to now in minutes ("in 2 hours"): an instant rather than a date. */
  offsetMinutes?: number;
}

export type DateResolution = Omit<DateMatch, "start" | "end">;

/** A global regex and how one of its matches resolves against today (undefined: not a date after all). */
export type DatePattern = readonly [RegExp, (match: RegExpMatchArray, today: LocalDate) => DateResolution | undefined];

/** A time of day found in normalised text. */
export interface TimeMatch {
  start: number;
  end: number;
  hour: number;
  minute: number;
  /** am/pm, 上午/下午, "de la tarde" was said, so an evening date must not shift the hour. */
  explicitPeriod: boolean;
}

export type TimeResolution = Omit<TimeMatch, "start" | "end">;

export type TimePattern = readonly [RegExp, (match: RegExpMatchArray) => TimeResolution | undefined];

/** Numbers written as words. */
export interface NumberWords {
  /** Regex source of a number standing on its own ("twenty-five", "三百"). */
  standalone: string;
  /** Regex source of an amount right before a currency word ("two hundred" dollars, "两千" 美元). */
  beforeCurrency: string;
  parse: (words: string) => number | undefined;
}

/** How digits are grouped in a language ("1,250.5", "1.250,5"). */
export interface DigitFormat {
  /** Regex source of the digits of one number (no sign, no boundaries). */
  source: string;
  parse: (raw: string) => number | undefined;
}

export interface LanguageExtractors {
  numberWords?: NumberWords;
  /** Digit grouping in messages of this language; default "1,250.5". */
  digits?: DigitFormat;
  /** Characters after digits that multiply them ("3万" = 30000), and the value of digits + character. */
  digitMultipliers?: { chars: string; parse: (raw: string) => number | undefined };
  money?: {
    /** Currency words after an amount ("dollars", "元", "euros") → ISO 4217 code. */
    words: Readonly<Record<string, string>>;
    /** Words allowed between an amount and its currency ("un millón de euros"). */
    connectors?: readonly string[];
    /** What an ambiguous symbol means in a message of this language ("¥" is CNY in Chinese). */
    symbols?: Readonly<Record<string, string>>;
    /** Abbreviations after digits that multiply an amount ("20k dollars", "5万元"). */
    amountSuffixes?: Readonly<Record<string, number>>;
  };
  /** Most specific first: a later pattern's match that overlaps an earlier one is dropped. */
  dates?: readonly DatePattern[];
  times?: readonly TimePattern[];
  /** Words that join a date and a time next to it: "tomorrow at 5pm", "5pm on friday", "明天的下午3点". */
  dateTimeJoiners?: { after?: readonly string[]; before?: readonly string[] };
}
