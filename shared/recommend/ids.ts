/**
 * Item ids compared by UTF-16 code units, not by locale: the same order in every runtime and the
 * same as the public log's reference scripts (Python compares strings by code point; for the ASCII
 * ids there both agree).
 */
export const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
