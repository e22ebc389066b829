/**
 * Numbers as people type them: digit groups joined by single separators ("4111 1111 1111 1111",
 * "+44 (0)20 7946 0958", "138-1234-5678"). A hand-written scanner rather than a regular expression:
 * it reads each character a bounded number of times, so it is linear in the text by construction,
 * and the card and phone rules then look at whole groups.
 */

export interface DigitGroup {
  start: number;
  end: number;
  digits: string;
  /** Written in parentheses: "(415)", "(0)". */
  parenthesized: boolean;
}

export interface DigitRun {
  start: number;
  end: number;
  /** Starts with "+" (an international number). */
  plus: boolean;
  groups: DigitGroup[];
  /**
   * Part of a longer token: a letter, digit or "_" right before it (directly or across one "-",
   * "." or "/", as in ORD-4820193), or a letter, digit, "_" or "@" right after it. Such a run is an
   * identifier (an order or tracking number, a part of an e-mail address), not a card or a phone.
   */
  glued: boolean;
}

/** Characters that may join two digit groups, one at a time. */
const SEPARATORS = new Set([" ", "-", ".", "\u00a0"]);

const isDigit = (char: string | undefined): boolean => char !== undefined && char >= "0" && char <= "9";
const isWordChar = (char: string | undefined): boolean =>
  char !== undefined && ((char >= "0" && char <= "9") || (char >= "A" && char <= "Z") || (char >= "a" && char <= "z") || char === "_");

/**
 * Every run of digit groups in `text` (already normalised: fullwidth forms folded to ASCII), left to
 * right, not overlapping.
 */
export function digitRuns(text: string): DigitRun[] {
  const runs: DigitRun[] = [];
  let index = 0;
  while (index < text.length) {
    const run = readRun(text, index);
    if (run === undefined) {
      index++;
      continue;
    }
    runs.push(run);
    index = run.end;
  }
  return runs;
}

/** The group starting at `at` ("123" or "(123)"), or undefined. */
function readGroup(text: string, at: number): DigitGroup | undefined {
  const parenthesized = text[at] === "(";
  let cursor = parenthesized ? at + 1 : at;
  const digitsStart = cursor;
  while (isDigit(text[cursor])) cursor++;
  if (cursor === digitsStart) return undefined;
  const digits = text.slice(digitsStart, cursor);
  if (!parenthesized) return { start: at, end: cursor, digits, parenthesized };
  if (text[cursor] !== ")") return undefined;
  return { start: at, end: cursor + 1, digits, parenthesized };
}

function readRun(text: string, start: number): DigitRun | undefined {
  const plus = text[start] === "+";
  let cursor = plus ? start + 1 : start;
  const first = readGroup(text, cursor);
  if (first === undefined) return undefined;
  const groups = [first];
  cursor = first.end;
  for (;;) {
    const previous = groups[groups.length - 1] as DigitGroup;
    const char = text[cursor];
    let next: DigitGroup | undefined;
    if (char !== undefined && SEPARATORS.has(char)) next = readGroup(text, cursor + 1);
    // No separator is needed next to parentheses: "+44(0)20", "(415)555-2671".
    else if (char === "(" || (previous.parenthesized && isDigit(char))) next = readGroup(text, cursor);
    if (next === undefined) break;
    groups.push(next);
    cursor = next.end;
  }
  const end = cursor;
  const before = text[start - 1];
  const glued =
    isWordChar(before) ||
    ((before === "-" || before === "." || before === "/") && isWordChar(text[start - 2])) ||
    isWordChar(text[end]) ||
    text[end] === "@";
  return { start, end, plus, groups, glued };
}

/** The run's digits, all groups together. */
export const runDigits = (run: DigitRun): string => run.groups.map((group) => group.digits).join("");

/** The digit counts of the run's groups: [3, 3, 4] for "415-555-2671". */
export const groupLengths = (run: DigitRun): number[] => run.groups.map((group) => group.digits.length);

/**
 * Folds fullwidth ASCII forms (U+FF01-FF5E, typed by Chinese and Japanese input methods: "１３８")
 * and the ideographic space to ASCII, one UTF-16 unit for one, so offsets in the folded text are
 * offsets in the original.
 */
export function foldFullwidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (char) =>
    char === "\u3000" ? " " : String.fromCharCode(char.charCodeAt(0) - 0xfee0),
  );
}
