// The interactive API page at /api/docs: Swagger UI from the swagger-ui-dist package, served by
// the gateway itself (no CDN), pointed at /api/openapi.json.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const DIST = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));

// Relative URLs: the page is /api/docs, so these resolve to /api/docs/... and /api/openapi.json.
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Marquee API</title><link rel="icon" href="docs/favicon-32x32.png"><link rel="stylesheet" href="docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="docs/swagger-ui-bundle.js"></script><script src="docs/init.js"></script></body>
</html>
`;
const INIT = `window.ui = SwaggerUIBundle({ url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true });\n`;

const FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

export interface DocsFile { contentType: string; body: string | Buffer }

const cache = new Map<string, Promise<DocsFile>>();

/** The page (name undefined) or one of its files; undefined for anything else. */
export function docsFile(name?: string): Promise<DocsFile> | undefined {
  if (name === undefined) return Promise.resolve({ contentType: "text/html; charset=utf-8", body: PAGE });
  if (name === "init.js") return Promise.resolve({ contentType: "text/javascript; charset=utf-8", body: INIT });
  // Own names only: "__proto__" or "constructor" must not find Object's own properties.
  const contentType = Object.hasOwn(FILES, name) ? FILES[name] : undefined;
  if (!contentType) return undefined;
  let file = cache.get(name);
  if (!file) {
    file = readFile(join(DIST, name)).then((body) => ({ contentType, body }));
    cache.set(name, file);
  }
  return file;
}
