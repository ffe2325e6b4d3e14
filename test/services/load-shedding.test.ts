import test from "ava";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadShedding } from "../../services/load-shedding.ts";

/**
 * A server whose handler answers at once, except listings, which wait until let go: a listing
 * stays in flight as long as the test wants. Load shedding guards it as it guards the gateway.
 */
async function guarded(t: import("ava").ExecutionContext, bounds: { shedMaxWrites: number; shedMaxReads: number }) {
  const seen: string[] = [];
  const waiting: ServerResponse[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.url === "/api/shows") waiting.push(res);
    else res.end("{}");
  });
  loadShedding({ ...bounds, shedTargetDelayMs: 0 }).guard(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, letGo: () => { for (const res of waiting.splice(0)) res.end("[]"); } };
}

test("a full class is refused before any other listener sees the request; health, readiness and metrics still pass", async (t) => {
  const node = await guarded(t, { shedMaxWrites: 1, shedMaxReads: 1 });
  const first = fetch(`${node.url}/api/shows`);
  while (node.seen.length === 0) await new Promise((r) => setImmediate(r));

  const refused = await fetch(`${node.url}/api/shows`);
  t.is(refused.status, 503);
  t.is(refused.headers.get("retry-after"), "1");
  t.like(await refused.json(), { code: 503, type: "OVERLOADED", data: { class: "read" } });
  for (const path of ["/api/health", "/api/ready", "/metrics"]) t.is((await fetch(node.url + path)).status, 200, path);
  t.deepEqual(node.seen, ["GET /api/shows", "GET /api/health", "GET /api/ready", "GET /metrics"], "the refused listing reached no handler");

  node.letGo();
  t.is((await first).status, 200);
  t.is((await fetch(`${node.url}/api/shows?city=Pune`)).status, 200, "the slot came back with the answer");
});

test("a full class of reads does not stop writes", async (t) => {
  const node = await guarded(t, { shedMaxWrites: 1, shedMaxReads: 1 });
  const listing = fetch(`${node.url}/api/shows`);
  while (node.seen.length === 0) await new Promise((r) => setImmediate(r));
  t.is((await fetch(`${node.url}/api/shows/s1/holds`, { method: "POST", body: "{}" })).status, 200);
  node.letGo();
  await listing;
});
