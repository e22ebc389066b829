// A host's identity provider on loopback for the workerd unit tests of user tokens (vitest
// globalSetup, in Node): it makes an RSA and an EC signing key, publishes their public halves as a
// JWKS at /jwks.json and counts how often the JWKS was fetched (GET /fetches), so tests can see
// the gateway's key cache at work. The private keys go to the tests through vitest's provide/inject.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  interface ProvidedContext {
    /** http://127.0.0.1:<port>: /jwks.json (the keys), /fetches (how often /jwks.json was read). */
    identityProviderUrl: string;
    /** Private JWKs (with kid and alg) of the keys the JWKS publishes. */
    identityProviderKeys: { rsa: JWK; ec: JWK };
  }
}

async function keyPair(alg: "RS256" | "ES256", kid: string): Promise<{ publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  return {
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" },
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const rsa = await keyPair("RS256", "rsa-1");
  const ec = await keyPair("ES256", "ec-1");
  let fetches = 0;
  const server = createServer((request, response) => {
    if (request.url === "/jwks.json") {
      fetches++;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [rsa.publicJwk, ec.publicJwk] }));
    } else if (request.url === "/fetches") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ fetches }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  project.provide("identityProviderUrl", `http://127.0.0.1:${port}`);
  project.provide("identityProviderKeys", { rsa: rsa.privateJwk, ec: ec.privateJwk });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
