// Microsoft Teams (Bot Framework) webhooks: the Bot Connector's JWT checked the documented way against
// the OpenID metadata and signing keys of the local Bot Framework imitation (demo services), which
// signs tokens with its own RSA key exactly as the Bot Connector service does.
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { ChannelVerificationError } from "../../src/channels/errors.ts";
import { receiveChannelRequest } from "../../src/channels/inbound.ts";
import { BotFrameworkSigningKeys } from "../../src/channels/teams/signing-keys.ts";
import { receiveTeams } from "../../src/channels/teams/inbound.ts";
import { BOT, SECRETS, channelConfigFor, request } from "./fixtures.ts";

let demo: DemoServices;
let metadataFetches = 0;
let keySetFetches = 0;

beforeAll(async () => {
  demo = await startDemoServices({
    port: 0,
    onRequest: (incoming) => {
      if (incoming.url === "/teams/openid") metadataFetches++;
      if (incoming.url === "/teams/keys") keySetFetches++;
    },
  });
});
afterAll(() => demo.close());

const serviceUrl = () => `${demo.url}/teams`;

function activity(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "message",
    id: "1485983408511",
    timestamp: "2026-11-24T10:00:00.000Z",
    serviceUrl: serviceUrl(),
    channelId: "msteams",
    from: { id: "29:1Xt5ZqY", name: "Megan", aadObjectId: "00000000-0000-0000-0000-0000000000aa" },
    conversation: { id: "a:1Xt5ZqYconversation", conversationType: "personal", tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47" },
    recipient: { id: "28:6b2c5b1e-3a3d-4c59-9a2e-0d7f1f2e3a4b", name: "Shop bot" },
    text: "where is my order ORD-4820193?",
    textFormat: "plain",
    ...overrides,
  };
}

async function receive(body: Record<string, unknown>, authorization: string | undefined, keys = new BotFrameworkSigningKeys(), now = Date.now()) {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (authorization !== undefined) headers.Authorization = authorization;
  return receiveTeams({ channel: "teams", bot: BOT, request: request({ body: JSON.stringify(body), headers }), config: channelConfigFor(demo.url), now, fetch }, keys);
}

const token = (overrides: Partial<Parameters<DemoServices["channels"]["signTeamsToken"]>[0]> = {}) =>
  demo.channels.signTeamsToken({ appId: SECRETS.TEAMS_APP_ID, serviceUrl: serviceUrl(), ...overrides });

describe("Teams webhook verification", () => {
  it("accepts an activity signed by the Bot Framework's key and turns it into one event", async () => {
    const outcome = await receive(activity(), `Bearer ${await token()}`);
    expect(outcome.kind).toBe("events");
    if (outcome.kind !== "events") return;
    expect(outcome.events[0]).toMatchObject({
      channel: "teams",
      chatId: "a:1Xt5ZqYconversation",
      userId: "00000000-0000-0000-0000-0000000000aa",
      messageId: "1485983408511",
      text: "where is my order ORD-4820193?",
      address: { channel: "teams", serviceUrl: serviceUrl(), conversationId: "a:1Xt5ZqYconversation", botId: "28:6b2c5b1e-3a3d-4c59-9a2e-0d7f1f2e3a4b" },
    });
  });

  it("refuses a missing token, another bot's audience, another issuer and an expired token with 401", async () => {
    const refusals: [string | undefined, RegExp][] = [
      [undefined, /missing Bot Framework token/],
      [`Basic ${await token()}`, /missing Bot Framework token/],
      [`Bearer ${await token({ appId: "another-bots-app-id" })}`, /"aud" claim/],
      [`Bearer ${await token({ issuer: "https://sts.windows.net/some-tenant/" })}`, /"iss" claim/],
      [`Bearer ${await token({ expiresInSeconds: -600 })}`, /expired/],
      [`Bearer not.a.jwt`, /not a valid JWT/],
    ];
    for (const [authorization, message] of refusals) {
      const refused = receive(activity(), authorization);
      await expect(refused, String(message)).rejects.toBeInstanceOf(ChannelVerificationError);
      await expect(refused, String(message)).rejects.toThrow(message);
    }
  });

  it("accepts a token expired less than the 5 minutes of clock skew ago", async () => {
    await expect(receive(activity(), `Bearer ${await token({ expiresInSeconds: -120 })}`)).resolves.toMatchObject({ kind: "events" });
  });

  it("refuses an activity whose serviceUrl is not the token's: a reply must not carry the bot's token elsewhere", async () => {
    const refused = receive(activity({ serviceUrl: "https://attacker.example/teams" }), `Bearer ${await token()}`);
    await expect(refused).rejects.toThrow(/serviceUrl/);
  });

  it("refuses a token signed by a key that is not the Bot Framework's, even with its key id", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ serviceUrl: serviceUrl() })
      .setProtectedHeader({ alg: "RS256", kid: demo.channels.teamsKeyId })
      .setIssuer("https://api.botframework.com")
      .setAudience(SECRETS.TEAMS_APP_ID)
      .setExpirationTime("1h")
      .sign(privateKey);
    await expect(receive(activity(), `Bearer ${forged}`)).rejects.toThrow(/signature/);
    await expect(receive(activity(), `Bearer ${await token({ kid: "unknown-key" })}`)).rejects.toThrow(/unknown key/);
  });

  it("refuses a token with the key's own algorithm swapped for a shared-secret one", async () => {
    const { publicKey } = await generateKeyPair("RS256", { extractable: true });
    const jwk = await exportJWK(publicKey);
    const hs = await new SignJWT({ serviceUrl: serviceUrl() })
      .setProtectedHeader({ alg: "HS256", kid: demo.channels.teamsKeyId })
      .setIssuer("https://api.botframework.com")
      .setAudience(SECRETS.TEAMS_APP_ID)
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(jwk.n ?? "x"));
    await expect(receive(activity(), `Bearer ${hs}`)).rejects.toBeInstanceOf(ChannelVerificationError);
  });

  it("refuses an activity from a channel the signing key does not endorse", async () => {
    await expect(receive(activity({ channelId: "slack" }), `Bearer ${await token()}`)).rejects.toThrow(/endorse/);
  });

  it("fetches the metadata and keys once, then serves from the cache until the TTL", async () => {
    const keys = new BotFrameworkSigningKeys(60_000);
    const before = { metadataFetches, keySetFetches };
    const now = Date.now();
    for (let i = 0; i < 5; i++) await receive(activity({ id: `m${i}` }), `Bearer ${await token()}`, keys, now + i * 1000);
    expect({ metadata: metadataFetches - before.metadataFetches, keys: keySetFetches - before.keySetFetches }).toEqual({ metadata: 1, keys: 1 });
    await receive(activity(), `Bearer ${await token()}`, keys, now + 61_000);
    expect({ metadata: metadataFetches - before.metadataFetches, keys: keySetFetches - before.keySetFetches }).toEqual({ metadata: 2, keys: 2 });
  });

  it("does not refetch the keys for every made-up key id", async () => {
    const keys = new BotFrameworkSigningKeys();
    const now = Date.now();
    await receive(activity(), `Bearer ${await token()}`, keys, now);
    const before = keySetFetches;
    for (let i = 0; i < 5; i++) await expect(receive(activity(), `Bearer ${await token({ kid: `made-up-${i}` })}`, keys, now + 1000)).rejects.toThrow(/unknown key/);
    expect(keySetFetches - before).toBe(0);
  });

  it("ignores conversation updates, typing, edits and the bot's own activities, and strips @mentions", async () => {
    const signed = `Bearer ${await token()}`;
    expect(await receive(activity({ type: "conversationUpdate", text: undefined }), signed)).toMatchObject({ kind: "ignore", reasons: ["not_a_message"] });
    expect(await receive(activity({ type: "typing" }), signed)).toMatchObject({ kind: "ignore", reasons: ["not_a_message"] });
    expect(await receive(activity({ type: "messageUpdate" }), signed)).toMatchObject({ kind: "ignore", reasons: ["edited"] });
    expect(await receive(activity({ from: { id: "28:6b2c5b1e-3a3d-4c59-9a2e-0d7f1f2e3a4b" } }), signed)).toMatchObject({ kind: "ignore", reasons: ["bot_message"] });
    const mention = await receive(activity({ text: "<at>Shop bot</at> track my order" }), signed);
    expect(mention.kind === "events" && mention.events[0]?.text).toBe("track my order");
  });

  it("goes through the channel dispatcher: POST only", async () => {
    const req = request({ method: "GET", body: "" });
    await expect(receiveChannelRequest({ channel: "teams", bot: BOT, request: req, config: channelConfigFor(demo.url), now: Date.now(), fetch })).rejects.toMatchObject({
      code: "method_not_allowed",
    });
  });
});
