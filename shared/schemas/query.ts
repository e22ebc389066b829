import { z } from "zod";

/**
 * Query strings, as every API route reads them: only the parameters a route documents
 * (`querySchema` is strict, so `?foo=1` is a 400 naming `foo`), each at most once (`?limit=1&limit=200`
 * is a 400: proxies and frameworks disagree on whether the first or the last one counts, so the
 * API picks neither), and numbers written as plain decimals (`0x10`, `1e3`, ` 5`, an empty value
 * are refused rather than read the way `Number()` would).
 */
export const querySchema = <Shape extends z.ZodRawShape>(shape: Shape) => z.strictObject(shape);

/** One parameter's text. Hono's validator hands a repeated parameter over as an array. */
const single = z.string({ error: (issue) => (Array.isArray(issue.input) ? "given more than once" : "expected one value") });

/** A whole number in [min, max], written in decimal digits. */
export const queryInt = (min: number, max: number) =>
  single
    .regex(/^\d{1,16}$/, "expected a whole number in decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** A number of seconds in [0, max], decimals allowed (`2.5`). */
export const querySeconds = (max: number) =>
  single
    .regex(/^\d{1,6}(?:\.\d{1,3})?$/, "expected a number of seconds in decimal digits")
    .transform(Number)
    .pipe(z.number().max(max, `must be at most ${max}`));

/** A text parameter (e.g. the WebSocket's `token`). */
export const queryText = (maxLength: number) => single.min(1, "empty").max(maxLength, `longer than ${maxLength} characters`);

/** For routes that take no query parameters at all. */
export const NoQuerySchema = querySchema({});
