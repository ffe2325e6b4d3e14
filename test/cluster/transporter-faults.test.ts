// A NATS outage seen from a gateway node: the edge cannot reach the services behind it, so
// every call must answer a fast 503 with Retry-After (not a 404 saying the resource does not
// exist, nor a wait for the request timeout), readiness must say the transporter is down,
// and the edge must recover by itself once NATS is back.
import { httpJson, startCluster, startNats, startRedis, replyWhen } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries("nats-server", "redis-server"));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Moleculer's request timeout: an answer must come well before it, not at it. */
const ANSWER_WITHIN_MS = 8_000;

test.serial("with NATS down, a gateway answers every call with a 503 and Retry-After until NATS is back, and readiness names the transporter", async (t) => {
  t.timeout(120_000);
  const nats = await startNats(t);
  const redis = await startRedis(t);
  const cluster = await startCluster(t, { nats, redis, mains: 1, edges: 1 });
  const url = cluster.edges[0]!.url!;
  const listed = await replyWhen(() => httpJson(url, "GET", "/api/shows"), (r) => Array.isArray(r.body) && r.body.length > 0);
  const showId = (listed.body as { id: string }[])[0]!.id;
  t.is((await httpJson(url, "GET", "/api/ready")).status, 200);

  await nats.kill();
  // Before and after the edge notices the main node's heartbeats have stopped (2 s).
  for (const wait of [0, 3_000]) {
    await sleep(wait);
    for (const [method, path] of [["GET", "/api/shows"], ["GET", `/api/shows/${showId}`], ["GET", "/api/movies"]] as const) {
      const reply = await httpJson(url, method, path, { timeoutMs: ANSWER_WITHIN_MS });
      t.is(reply.status, 503, `${method} ${path} after ${wait} ms: ${reply.status} ${JSON.stringify(reply.body)}`);
      t.regex(reply.headers.get("retry-after") ?? "", /^\d+$/);
    }
    const ready = await httpJson(url, "GET", "/api/ready", { timeoutMs: ANSWER_WITHIN_MS });
    t.is(ready.status, 503);
    t.is(ready.body.data.checks.transporter, "disconnected");
  }
  t.is((await httpJson(url, "GET", "/api/health")).status, 200);

  await nats.restart();
  t.is((await replyWhen(() => httpJson(url, "GET", "/api/shows"), (r) => r.status === 200)).status, 200);
  t.is((await replyWhen(() => httpJson(url, "GET", "/api/ready"), (r) => r.status === 200)).status, 200);
});
