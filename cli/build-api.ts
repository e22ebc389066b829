// `npm run build:api`: the gateway's OpenAPI document and the TypeScript client types generated from
// it, into git-ignored files, without a running server (devkit/api-document.ts):
//   generated/openapi.json   the document GET /v1/openapi.json serves; `npm run lint:api` lints it
//   generated/api-types.ts   its `paths` as TypeScript (openapi-typescript), for openapi-fetch clients
//                            (test/api-client/ drives a whole conversation through one)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { buildApiDocument } from "../devkit/api-document.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(root, "generated");
mkdirSync(out, { recursive: true });

const document = await buildApiDocument();
writeFileSync(join(out, "openapi.json"), `${JSON.stringify(document, null, 2)}\n`);
const types = astToString(await openapiTS(document as unknown as OpenAPI3, { silent: true }));
writeFileSync(join(out, "api-types.ts"), types);
const operations = Object.values(document.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
console.log(`build:api: ${operations} operations → generated/openapi.json, generated/api-types.ts`);
