// Money and seats never disagree through failures, on real processes: customers hold, book, pay
// and cancel while a node is killed with -9, Redis is killed and restarted from its AOF, or Redis
// is frozen past the request timeout; in a cluster the edge dies right after the processor took a
// charge, with and without the show's owner dying at the same moment. Once the documented
// settlement time has passed, the history checker must find nothing wrong.
import type { ExecutionContext } from "ava";
import type { Answer } from "../../domain/booking/history.ts";
import { shardLease, shardOf } from "../../infra/placement.ts";
import { RedisStore } from "../../infra/redis-store.ts";
import { answerOf, verifyRun } from "../helpers/history.ts";
import { httpJson, laterShows, startCluster, startNats, startNode, startRedis, type MarqueeNode } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const soloTest = testNeeding(missingBinaries("redis-server"));
const clusterTest = testNeeding(missingBinaries("nats-server", "redis-server"));

const VISA = "pm_card_visa";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Attempts settle PAYMENT_SETTLE_AFTER_MS after they start; the checker waits at most this long past the faults. */
const SETTLE_ENV = { PAYMENT_SETTLE_AFTER_MS: "1500", RECONCILE_EVERY_MS: "300", PROCESSOR_FAULTS: "latency=40", LEASE_TTL_MS: "2000" };
const SETTLEMENT_BOUND_MS = 30_000;

const tryJson = (url: string, method: string, path: string, options: Parameters<typeof httpJson>[3] = {}) =>
  httpJson(url, method, path, { timeoutMs: 12_000, ...options }).catch(() => ({ status: 0, headers: new Headers(), body: null as any }));

interface Traffic { tokens: string[]; answers: Answer[]; showIds: string[]; stop(): Promise<void> }

/** Customers who hold, book, pay and sometimes cancel, against whichever gateway `url()` names, until stopped. */
async function traffic(url: () => string, showIds: string[], customers = 6): Promise<Traffic> {
  const tokens: string[] = [];
  const answers: Answer[] = [];
  let running = true;
  for (let i = 0; i < customers; i++) {
    const res = await tryJson(url(), "POST", "/api/auth/register", { body: { email: `m${i}-${process.pid}-${Date.now()}@example.com`, password: "correct horse battery", name: `M${i}` } });
    if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
    tokens.push(res.body.token);
  }
  const loops = tokens.map(async (token, c) => {
    for (let round = 0; running; round++) {
      const showId = showIds[(c + round) % showIds.length]!;
      const seat = `${"ABCDEF"[(c + round * 7) % 6]}${1 + ((c * 5 + round) % 10)}`;
      const hold = await tryJson(url(), "POST", `/api/shows/${showId}/holds`, { token, body: { seats: [seat] } });
      if (hold.status !== 201) { await sleep(50); continue; }
      const booking = await tryJson(url(), "POST", "/api/bookings", { token, body: { holdId: hold.body.id } });
      if (booking.status !== 201) continue;
      const paid = await tryJson(url(), "POST", `/api/bookings/${booking.body.id}/pay`, { token, body: { paymentMethod: VISA } });
      answers.push(answerOf(booking.body.id, "pay", paid));
      if (round % 3 === 0) {
        const cancelled = await tryJson(url(), "POST", `/api/bookings/${booking.body.id}/cancel`, { token });
        answers.push(answerOf(booking.body.id, "cancel", cancelled));
      }
    }
  });
  return { tokens, answers, showIds, stop: async () => { running = false; await Promise.all(loops); } };
}

/** Waits up to the settlement bound for the checker to find nothing wrong, then asserts its last verdict. */
async function assertSettled(t: ExecutionContext, url: string, run: Traffic): Promise<void> {
  const login = await tryJson(url, "POST", "/api/auth/login", { body: { email: "admin@marquee.local", password: "marquee-admin" } });
  const adminToken = login.body?.token as string;
  const deadline = Date.now() + SETTLEMENT_BOUND_MS;
  let problems: string[];
  for (;;) {
    problems = await verifyRun((path, token) => tryJson(url, "GET", path, { token }), { adminToken, customerTokens: run.tokens, showIds: run.showIds, answers: run.answers, settled: true })
      .catch((error: unknown) => [`reading the run back failed: ${(error as Error).message}`]);
    if (problems.length === 0 || Date.now() > deadline) break;
    await sleep(500);
  }
  const confirmedAnswers = run.answers.filter((a) => a.bookingStatus === "confirmed").length;
  t.log(`${run.answers.length} pay/cancel answers, ${confirmedAnswers} confirmed; checker: ${problems.length ? problems.join("; ") : "nothing wrong"}`);
  t.true(confirmedAnswers > 0, "the traffic confirmed nothing: the run proves nothing");
  t.deepEqual(problems, []);
}

async function soloNode(t: ExecutionContext) {
  t.timeout(180_000);
  const redis = await startRedis(t, { aof: true });
  const env = { ...SETTLE_ENV, REDIS_URL: redis.url, NAMESPACE: `money-${process.pid}-${Date.now()}` };
  let node = await startNode(t, env, { name: "solo" });
  const showIds = (await laterShows(node.url!, 3)).slice(0, 3).map((s) => s.id);
  return {
    redis, showIds, url: () => node.url!,
    restart: async () => { await node.kill(); node = await startNode(t, { ...env, SEED_DEMO: "false" }, { name: "solo" }); },
  };
}

soloTest.serial("one node killed -9 mid-traffic and restarted: every charge ends confirmed or refunded", async (t) => {
  const solo = await soloNode(t);
  const run = await traffic(solo.url, solo.showIds);
  await sleep(2_500);
  await solo.restart();
  await sleep(2_500);
  await run.stop();
  await assertSettled(t, solo.url(), run);
});

soloTest.serial("Redis killed and restarted from its AOF mid-traffic: every charge ends confirmed or refunded", async (t) => {
  const solo = await soloNode(t);
  const run = await traffic(solo.url, solo.showIds);
  await sleep(2_500);
  await solo.redis.kill();
  await sleep(1_000);
  await solo.redis.restart();
  await sleep(2_500);
  await run.stop();
  await assertSettled(t, solo.url(), run);
});

soloTest.serial("Redis frozen past the request timeout mid-traffic, then resumed: every charge ends confirmed or refunded", async (t) => {
  const solo = await soloNode(t);
  const run = await traffic(solo.url, solo.showIds);
  await sleep(2_500);
  solo.redis.pause();
  await sleep(11_000);
  solo.redis.resume();
  await sleep(2_500);
  await run.stop();
  await assertSettled(t, solo.url(), run);
});

async function clusterWithFaultyEdge(t: ExecutionContext) {
  t.timeout(180_000);
  const nats = await startNats(t);
  const redis = await startRedis(t, { aof: true });
  const cluster = await startCluster(t, { nats, redis, env: SETTLE_ENV });
  // A third gateway whose booking workflow dies the moment the processor has taken a charge.
  const faulty = await startNode(t, { ...SETTLE_ENV, TRANSPORTER: nats.url, REDIS_URL: redis.url, NAMESPACE: cluster.namespace, SERVICES: "api,admin", SEED_DEMO: "false", MARQUEE_FAULT: "after_charge" }, { name: "edge-faulty" });
  const healthy = cluster.edges[0]!.url!;
  const showIds = (await laterShows(healthy, 3)).slice(0, 3).map((s) => s.id);
  return { cluster, faulty, healthy, showIds, redis };
}

/** A customer's booking paid through the faulty edge, which dies right after the charge. */
async function payThroughDyingEdge(t: ExecutionContext, faulty: MarqueeNode, healthy: string, showId: string) {
  const reg = await tryJson(healthy, "POST", "/api/auth/register", { body: { email: `edge-${process.pid}-${Date.now()}@example.com`, password: "correct horse battery", name: "Edge" } });
  const token = reg.body.token as string;
  const hold = await tryJson(healthy, "POST", `/api/shows/${showId}/holds`, { token, body: { seats: ["C3", "C4"] } });
  t.is(hold.status, 201, JSON.stringify(hold.body));
  const booking = await tryJson(healthy, "POST", "/api/bookings", { token, body: { holdId: hold.body.id } });
  const paid = await tryJson(faulty.url!, "POST", `/api/bookings/${booking.body.id}/pay`, { token, body: { paymentMethod: VISA } });
  t.is(paid.status, 0, "the edge died before it could answer");
  await faulty.exited;
  return { token, bookingId: booking.body.id as string };
}

clusterTest.serial("the edge killed right after the processor took the charge: the show's owner confirms it within the settlement time", async (t) => {
  const env = await clusterWithFaultyEdge(t);
  const { faulty, healthy, showIds } = env;
  const { token, bookingId } = await payThroughDyingEdge(t, faulty, healthy, showIds[0]!);
  const run: Traffic = { tokens: [token], answers: [], showIds: [showIds[0]!], stop: async () => {} };
  await assertSettledTo(t, healthy, token, bookingId, "confirmed");
  await assertSettled(t, healthy, { ...run, answers: [{ bookingId, action: "pay", bookingStatus: "confirmed" }] });
});

clusterTest.serial("the edge and the show's owner killed at the moment of the charge: another node takes the show and settles the charge", async (t) => {
  const env = await clusterWithFaultyEdge(t);
  const { faulty, healthy, showIds, cluster, redis } = env;
  const showId = showIds[1]!;
  const store = new RedisStore(redis.url, `marquee:${cluster.namespace}`);
  t.teardown(() => store.close());
  const { token, bookingId } = await payThroughDyingEdge(t, faulty, healthy, showId);
  const ownerId = (await store.leaseHolder(shardLease(shardOf(showId, 64))))?.owner;
  const owner = cluster.mains.find((m) => m.nodeID === ownerId);
  if (!owner) return t.fail(`no main node owns show ${showId} (lease holder ${ownerId})`);
  await owner.kill();
  await assertSettledTo(t, healthy, token, bookingId, "confirmed");
  const survivor = cluster.mains.find((m) => m !== owner)!;
  t.is((await store.leaseHolder(shardLease(shardOf(showId, 64))))?.owner, survivor.nodeID);
  const run: Traffic = { tokens: [token], answers: [{ bookingId, action: "pay", bookingStatus: "confirmed" }], showIds: [showId], stop: async () => {} };
  await assertSettled(t, healthy, run);
});

async function assertSettledTo(t: ExecutionContext, url: string, token: string, bookingId: string, status: string) {
  const deadline = Date.now() + SETTLEMENT_BOUND_MS;
  let booking: any;
  const since = Date.now();
  for (;;) {
    booking = (await tryJson(url, "GET", `/api/bookings/${bookingId}`, { token })).body;
    if ((booking?.status === status && !booking.paymentInProgress) || Date.now() > deadline) break;
    await sleep(250);
  }
  t.log(`booking ${bookingId} settled as ${booking?.status} about ${Date.now() - since} ms after the edge died`);
  t.is(booking?.status, status, JSON.stringify(booking));
  t.false(booking?.paymentInProgress);
}
