/**
 * The scripts the platform's languages are written in, as UTF-16 code-unit ranges. Characters
 * outside the Basic Multilingual Plane (rare CJK extensions, emoji) belong to no script here: every
 * tokenizer in the platform walks UTF-16 code units, and a surrogate is not a letter of a script.
 */
export const SCRIPTS = {
  Latin: [
    [0x41, 0x5a], [0x61, 0x7a], [0xaa, 0xaa], [0xba, 0xba], [0xc0, 0xd6], [0xd8, 0xf6], [0xf8, 0x24f], [0x1e00, 0x1eff],
  ],
  /** CJK Unified Ideographs, Extension A, Compatibility Ideographs. */
  Han: [[0x4e00, 0x9fff], [0x3400, 0x4dbf], [0xf900, 0xfaff]],
} as const satisfies Record<string, ReadonlyArray<readonly [number, number]>>;

export type ScriptName = keyof typeof SCRIPTS;

const SCRIPT_NAMES = Object.keys(SCRIPTS) as ScriptName[];

/** The script of a UTF-16 code unit, or undefined (digits, punctuation, symbols, other scripts). */
export function scriptOf(code: number): ScriptName | undefined {
  for (const name of SCRIPT_NAMES) {
    for (const [from, to] of SCRIPTS[name]) if (code >= from && code <= to) return name;
  }
  return undefined;
}

/** Whether a UTF-16 code unit belongs to the script. */
export function inScript(code: number, script: ScriptName): boolean {
  for (const [from, to] of SCRIPTS[script]) if (code >= from && code <= to) return true;
  return false;
}
