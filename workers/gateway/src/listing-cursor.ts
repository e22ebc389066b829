import { ListingCursorSchema, type ListingCursor } from "../../../shared/schemas/index.ts";

/**
 * A listing's page cursor: the last entry of the page (updatedAt, id) as base64url JSON. Opaque to
 * clients; a cursor that does not decode to that shape is refused, not guessed at.
 */
export function encodeListingCursor(cursor: ListingCursor): string {
  return btoa(JSON.stringify({ updatedAt: cursor.updatedAt, id: cursor.id }))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeListingCursor(text: string): ListingCursor | undefined {
  try {
    const json: unknown = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
    const parsed = ListingCursorSchema.safeParse(json);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
