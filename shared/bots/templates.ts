/**
 * `{name}` templates. Names are slot names, `bot_name`, or (in actions only) `env.NAME`.
 * Shared: the dialogue engine renders them, and the bot checks (shared/bots/references.ts) read
 * the variables a template uses, in Node (npm run validate) and in the gateway (PUT /v1/bots/{bot}).
 */
const VARIABLE = /\{([A-Za-z][A-Za-z0-9_.-]*)\}/g;

/** The variables a template uses, in order of appearance, without duplicates. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) names.add(match[1] ?? "");
  return [...names];
}

/** Replaces each `{name}` by `lookup(name)`; an unknown name renders as the empty string. */
export function renderTemplate(template: string, lookup: (name: string) => string | undefined): string {
  return template.replace(VARIABLE, (_whole, name: string) => lookup(name) ?? "");
}

/** If the whole template is one variable (`"{amount}"`), its name: JSON bodies keep that value's type. */
export function soleVariable(template: string): string | undefined {
  const match = /^\{([A-Za-z][A-Za-z0-9_.-]*)\}$/.exec(template);
  return match?.[1];
}

/** A slot value that would make a whole URL path segment a dot segment ("." or ".."). */
export class DotSegmentError extends Error {}

/** "." and "..", and what URL parsers read as them: "%2e", ".%2E", "%2e%2e" (WHATWG URL, RFC 3986 §6.2.2.2). */
function isDotSegment(segment: string): boolean {
  const decoded = segment.toLowerCase().replaceAll("%2e", ".");
  return decoded === "." || decoded === "..";
}

/**
 * Renders an action's URL template. `variable` gives each `{name}`'s text and whether it comes from a
 * slot (then already percent-encoded, so it holds no "/", "?" or "#"; env values are the operator's
 * and used as they are). A slot value that makes a whole path segment "." or ".." — alone ("{id}"
 * with id ".."), with another slot ("{a}{b}") or with the template's text ("{id}%2e") — throws
 * DotSegmentError: the URL parser would drop or climb that segment, so what a user typed could send
 * the request to another path of the backend ("/orders/{id}" with ".." is "/"). In the query or the
 * fragment dots mean nothing and pass.
 */
export function renderUrlTemplate(template: string, variable: (name: string) => { text: string; fromSlot: boolean }): string {
  let url = "";
  let segment = "";
  let segmentHasSlot = false;
  let inPath = true;
  const closeSegment = (): void => {
    if (segmentHasSlot && isDotSegment(segment)) throw new DotSegmentError("a slot value makes a URL path segment '.' or '..'");
    segment = "";
    segmentHasSlot = false;
  };
  const append = (text: string, fromSlot: boolean): void => {
    url += text;
    if (!inPath) return;
    if (fromSlot) {
      segment += text;
      segmentHasSlot = true;
      return;
    }
    for (const char of text) {
      if (char === "?" || char === "#") {
        closeSegment();
        inPath = false;
        return;
      }
      // "\" separates segments too in http(s) URLs (WHATWG URL).
      if (char === "/" || char === "\\") closeSegment();
      else segment += char;
    }
  };
  let last = 0;
  for (const match of template.matchAll(VARIABLE)) {
    append(template.slice(last, match.index), false);
    const { text, fromSlot } = variable(match[1] ?? "");
    append(text, fromSlot);
    last = match.index + match[0].length;
  }
  append(template.slice(last), false);
  if (inPath) closeSegment();
  return url;
}
