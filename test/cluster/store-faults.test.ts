// Faults of the store under one node (a private redis-server, `node index.ts` with REDIS_URL):
// Redis killed, and Redis frozen (SIGSTOP) past the request timeout. Clients must get a 503
// STORE_UNAVAILABLE with Retry-After before the request timeout instead of a 500 or a hang,
// readiness must say what is wrong, and the node must recover by itself once Redis is back.
import type { ExecutionContext } from "ava";
import { replay } from "../../domain/show/decider.ts";
import type { ShowEvent } from "../../domain/show/types.ts";
import { RedisStore } from "../../infra/redis-store.ts";
import { journalKey } from "../../infra/show-actor.ts";
import { httpJson, startNode, startRedis, replyWhen, type JsonReply } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries("redis-server"));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Moleculer's request timeout: an answer must come well before it, not at it. */
const REQUEST_TIMEOUT_MS = 10_000;
const ANSWER_WITHIN_MS = REQUEST_TIMEOUT_MS - 2_000;
const PASSWORD = "correct horse battery";

async function oneNode(t: ExecutionContext, env: Record<string, string> = {}) {
  t.timeout(120_000);
  // With its append-only file, a restarted Redis still knows the accounts made before the kill.
  const redis = await startRedis(t, { aof: true });
  const namespace = `store-faults-${process.pid}-${Date.now()}`;
  const node = await startNode(t, { ...env, REDIS_URL: redis.url, NAMESPACE: namespace }, { name: "solo" });
  const url = node.url!;
  const listed = await replyWhen(() => httpJson(url, "GET", "/api/shows"), (r) => Array.isArray(r.body) && r.body.some((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 6 * 3_600_000));
  const show = (listed.body as { id: string; startsAt: string }[]).find((s) => Date.parse(s.startsAt) > Date.now() + 6 * 3_600_000)!;
  const email = `fault-${Date.now()}@example.com`;
  const register = await httpJson(url, "POST", "/api/auth/register", { body: { email, password: PASSWORD, name: "Fault" } });
  t.is(register.status, 201);
  return { redis, url, show, email, token: register.body.token as string, namespace };
}

function assertStoreUnavailable(t: ExecutionContext, reply: JsonReply, what: string): void {
  t.is(reply.status, 503, `${what}: ${reply.status} ${JSON.stringify(reply.body)}`);
  t.is(reply.body?.type, "STORE_UNAVAILABLE", what);
  t.regex(reply.headers.get("retry-after") ?? "", /^\d+$/, `${what} says when to retry`);
}

test.serial("with Redis killed, holds and logins answer 503 STORE_UNAVAILABLE before the request timeout, and the node recovers once Redis is back", async (t) => {
  const setup = await oneNode(t);
  const { redis, url, show, email, token } = setup;
  t.is((await httpJson(url, "GET", "/api/ready")).status, 200);

  await redis.kill();
  assertStoreUnavailable(t, await httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["B1"] }, timeoutMs: ANSWER_WITHIN_MS }), "hold");
  assertStoreUnavailable(t, await httpJson(url, "POST", "/api/auth/login", { body: { email, password: PASSWORD }, timeoutMs: ANSWER_WITHIN_MS }), "login");
  const notReady = await httpJson(url, "GET", "/api/ready", { timeoutMs: ANSWER_WITHIN_MS });
  t.is(notReady.status, 503);
  t.is(notReady.body.type, "NOT_READY");
  t.is(notReady.body.data.checks.store, "unreachable");
  t.is((await httpJson(url, "GET", "/api/health")).status, 200, "the process itself is alive: liveness must not ask for a restart");

  await redis.restart();
  const held = await replyWhen(() => httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["B1"] } }), (r) => r.status === 201);
  t.is(held.status, 201, JSON.stringify(held.body));
  t.is((await httpJson(url, "GET", "/api/ready")).status, 200);
  t.is((await httpJson(url, "POST", "/api/auth/login", { body: { email, password: PASSWORD } })).status, 200);
});

test.serial("with Redis frozen past the request timeout, requests answer 503 STORE_UNAVAILABLE instead of hanging, and the seat map agrees with the journal after Redis resumes", async (t) => {
  const setup = await oneNode(t);
  const { redis, url, show, email, token, namespace } = setup;
  t.is((await httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["C1"] } })).status, 201);

  redis.pause();
  t.teardown(() => redis.resume());
  const frozenAt = Date.now();
  assertStoreUnavailable(t, await httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["C2"] }, timeoutMs: ANSWER_WITHIN_MS }), "hold");
  const notReady = await httpJson(url, "GET", "/api/ready", { timeoutMs: ANSWER_WITHIN_MS });
  t.is(notReady.status, 503);
  // Still frozen after the request timeout has passed: every request still answers in time.
  await sleep(Math.max(0, frozenAt + REQUEST_TIMEOUT_MS + 500 - Date.now()));
  assertStoreUnavailable(t, await httpJson(url, "POST", "/api/auth/login", { body: { email, password: PASSWORD }, timeoutMs: ANSWER_WITHIN_MS }), "login");
  redis.resume();

  const held = await replyWhen(() => httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["C3"] } }), (r) => r.status === 201);
  t.is(held.status, 201, JSON.stringify(held.body));
  // Whatever the frozen Redis applied late, the node serves what the journal says: the new
  // hold replaced the customer's earlier ones, and no seat is held but C3.
  const store = new RedisStore(redis.url, `marquee:${namespace}`);
  t.teardown(() => store.close());
  const state = replay(show.id, await store.read<ShowEvent>(journalKey(show.id)));
  t.deepEqual(state.holds.flatMap((h) => h.seats), ["C3"]);
  const seats = (await httpJson(url, "GET", `/api/shows/${show.id}`)).body.seats as { id: string; status: string }[];
  t.deepEqual(seats.filter((s) => s.status === "held").map((s) => s.id), ["C3"]);
  t.is((await httpJson(url, "GET", "/api/ready")).status, 200);
});

test.serial("a journal write that timed out but lands once Redis resumes is served, not contradicted, while the node keeps its shard", async (t) => {
  // Leases outlast the freeze, so the node keeps its show actor throughout: only dropping the
  // actor on the failed write makes it reread the journal.
  const setup = await oneNode(t, { LEASE_TTL_MS: "30000" });
  const { redis, url, show, token, namespace } = setup;
  t.is((await httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["D1"] } })).status, 201);
  redis.pause();
  t.teardown(() => redis.resume());
  assertStoreUnavailable(t, await httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["D2"] }, timeoutMs: ANSWER_WITHIN_MS }), "hold");
  redis.resume();
  const held = await replyWhen(() => httpJson(url, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["D3"] } }), (r) => r.status === 201);
  t.is(held.status, 201, JSON.stringify(held.body));
  const store = new RedisStore(redis.url, `marquee:${namespace}`);
  t.teardown(() => store.close());
  const state = replay(show.id, await store.read<ShowEvent>(journalKey(show.id)));
  t.deepEqual(state.holds.flatMap((h) => h.seats), ["D3"], "one hold per customer, as the journal tells it");
  const seats = (await httpJson(url, "GET", `/api/shows/${show.id}`)).body.seats as { id: string; status: string }[];
  t.deepEqual(seats.filter((s) => s.status === "held").map((s) => s.id), ["D3"]);
});
