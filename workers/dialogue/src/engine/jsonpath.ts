/**
 * A small JSON path: `status`, `$.shipping.carrier`, `items[0].name`, `items.0.name`.
 * Returns undefined when any part is missing.
 */
export function readJsonPath(json: unknown, path: string): unknown {
  const keys = path
    .replace(/^\$\.?/, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((key) => key !== "");
  let current: unknown = json;
  for (const key of keys) {
    if (Array.isArray(current)) {
      const index = Number(key);
      if (!Number.isInteger(index)) return undefined;
      current = current[index];
    } else if (typeof current === "object" && current !== null) {
      current = Object.hasOwn(current, key) ? (current as Record<string, unknown>)[key] : undefined;
    } else {
      return undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}
