import test from "ava";
import { createServer, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { ServiceBroker } from "moleculer";
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

test("a burst far larger than the loop can serve in time: it serves what it can and refuses the rest at once, then recovers", async (t) => {
  // Each hold costs the loop 3 ms; the in-flight bound (256) is never reached, because on one
  // event loop a request is served within the turn that reads it: only the turns' timing sheds.
  const server = createServer((_req, res) => {
    const until = performance.now() + 3;
    while (performance.now() < until);
    res.end("{}");
  });
  const shedding = loadShedding({ shedMaxWrites: 256, shedMaxReads: 1024, shedTargetDelayMs: 5 });
  shedding.guard(server);
  const broker = new ServiceBroker({ logger: false, metrics: { enabled: true } });
  shedding.start(broker);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => { shedding.stop(); server.closeAllConnections(); server.close(() => resolve()); }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // Customers already connected, whose holds all arrive at once: one turn of the loop reads them all.
  const { port } = server.address() as AddressInfo;
  const sockets = await Promise.all(Array.from({ length: 200 }, () => new Promise<Socket>((resolve) => { const s = connect(port, "127.0.0.1", () => resolve(s)); })));
  t.teardown(() => { for (const s of sockets) s.destroy(); });
  while ((await new Promise<number>((resolve) => server.getConnections((_e, n) => resolve(n)))) < sockets.length) await new Promise((r) => setTimeout(r, 10));
  const answers = sockets.map((s) => new Promise<{ status: number; retryAfter: boolean }>((resolve) => s.once("data", (chunk) => resolve({ status: Number(chunk.toString("latin1", 9, 12)), retryAfter: /\r\nretry-after: 1\r\n/i.test(chunk.toString("latin1")) }))));
  for (const s of sockets) s.write("POST /api/shows/s1/holds HTTP/1.1\r\nHost: marquee\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  const burst = await Promise.all(answers);

  t.deepEqual(burst.filter((r) => r.status !== 200 && r.status !== 503), [], "every hold answered: served or refused");
  const refused = burst.filter((r) => r.status === 503);
  t.true(refused.length > 0, "600 ms of work offered at once: the requests read late in a turn are refused");
  t.true(burst.length - refused.length > 0, "and those read in time are served");
  t.true(refused.every((r) => r.retryAfter));
  t.is(shedding.limiter.stats().shed.write, refused.length);
  await new Promise((r) => setTimeout(r, 200));
  t.is((await fetch(`${url}/api/shows/s1/holds`, { method: "POST", body: "{}" })).status, 200, "with the loop idle again, holds are served");
});
