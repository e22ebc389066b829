// `npm run build:web`: copies the pages' third-party libraries from node_modules into web/vendor/,
// which wrangler serves as static assets with the pages: no CDN, and the version is the one
// package-lock.json pins. web/vendor/ is git-ignored: it is built, not edited.
//   uplot/  the analytics page's chart library
//   redoc/  the OpenAPI renderer of /docs (its self-contained bundle)
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
// The package's main file is in its dist/ folder, beside the browser builds.
const uplotDist = dirname(require.resolve("uplot"));
const outDir = join(root, "web", "vendor", "uplot");
mkdirSync(outDir, { recursive: true });
for (const file of ["uPlot.iife.min.js", "uPlot.min.css"]) copyFileSync(join(uplotDist, file), join(outDir, file));
const redocDir = join(root, "web", "vendor", "redoc");
mkdirSync(redocDir, { recursive: true });
copyFileSync(require.resolve("redoc/bundles/redoc.standalone.js"), join(redocDir, "redoc.standalone.js"));
console.log(`build:web: uPlot → web/vendor/uplot/, Redoc → web/vendor/redoc/`);
