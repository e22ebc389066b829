import type { ClientKey } from "../../../../shared/schemas/index.ts";
import { keyedDigest } from "../auth/signed-token.ts";

/** The key requests without a usable address share (a service binding, or a local client sending junk). */
export const UNKNOWN_CLIENT = "unknown";

/**
 * The limiter key for a `CF-Connecting-IP` value: the client's address, as the per-client rate
 * limits count it. On Cloudflare, the edge sets
 * `CF-Connecting-IP` to the address the request came from and replaces any value the client sent,
 * so it can be trusted. A local run has no edge: Miniflare sets it to the peer address (127.0.0.1)
 * only when the request carries none, so a local client can choose its own key (the tests do).
 *
 * An IPv6 client counts as its /64: one host usually holds a whole /64, and per-address counting
 * would give it 2^64 budgets.
 */
export function clientKey(header: string | undefined): string {
  const address = header?.trim() ?? "";
  if (IPV4.test(address)) return address;
  return ipv6Prefix64(address) ?? UNKNOWN_CLIENT;
}

/**
 * The client's key as it travels beyond the gateway (a socket's attachment, a turn's queue messages)
 * for the per-address budgets counted there: keyed by the deployment's secret, so it names the same
 * client everywhere without carrying its address.
 */
export function hashedClientKey(secret: string, header: string | undefined): Promise<ClientKey> {
  return keyedDigest(secret, "stratus/client/v1", clientKey(header));
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

/** `2001:db8:1:2:…` → `2001:db8:1:2::/64`; undefined for anything that is not an IPv6 address. */
function ipv6Prefix64(text: string): string | undefined {
  if (text.length > 45 || !text.includes(":")) return undefined;
  // An embedded IPv4 tail (::ffff:1.2.3.4) lies in the interface half, which is dropped anyway.
  const tailIsV4 = IPV4.test(text.slice(text.lastIndexOf(":") + 1));
  const body = tailIsV4 ? `${text.slice(0, text.lastIndexOf(":") + 1)}0:0` : text;
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  if (![...head, ...tail].every((part) => HEXTET.test(part))) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const hextets = [...head, ...Array<string>(missing).fill("0"), ...tail].map((part) => part.toLowerCase().replace(/^0+(?=.)/, ""));
  return `${hextets.slice(0, 4).join(":")}::/64`;
}
