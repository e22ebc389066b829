// The key the per-client rate limits count under, from CF-Connecting-IP.
import { describe, expect, it } from "vitest";
import { UNKNOWN_CLIENT, clientKey } from "../src/middleware/client-address.ts";

describe("clientKey", () => {
  it("is the IPv4 address itself", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey(" 127.0.0.1 ")).toBe("127.0.0.1");
  });

  it("is the /64 of an IPv6 address, however it is written", () => {
    const prefix = "2001:db8:85a3:8d3::/64";
    expect(clientKey("2001:db8:85a3:8d3:1319:8a2e:370:7348")).toBe(prefix);
    expect(clientKey("2001:0DB8:85A3:08D3:ffff::1")).toBe(prefix);
    expect(clientKey("2001:db8:85a3:8d3::")).toBe(prefix);
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
    expect(clientKey("::ffff:192.0.2.1")).toBe("0:0:0:0::/64");
  });

  it("is one shared key for a missing or malformed header", () => {
    for (const header of [undefined, "", "local", "256.1.1.1", "1.2.3", "1:2:3:4:5:6:7:8:9", "1::2::3", "x".repeat(5000), "12345::1"]) {
      expect(clientKey(header), String(header).slice(0, 20)).toBe(UNKNOWN_CLIENT);
    }
  });
});
