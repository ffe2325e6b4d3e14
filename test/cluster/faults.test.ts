// Fault tests on a real cluster: private nats-server and redis-server processes on free ports,
// two gateway (edge) nodes and two main nodes as separate processes. Serial, so one cluster
// runs at a time and heartbeats are not starved by a busy machine.
import type { ExecutionContext } from "ava";
import { ServiceBroker } from "moleculer";
import { activeHold, endedHold, evolve, initialState } from "../../domain/show/decider.ts";
import type { ShowEvent } from "../../domain/show/types.ts";
import { shardLease, shardOf } from "../../infra/placement.ts";
import { RedisStore } from "../../infra/redis-store.ts";
import { journalKey } from "../../infra/show-actor.ts";
import { httpJson, startCluster, startNats, startNode, startRedis, type Cluster, type MarqueeNode, MAIN_SERVICES } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const clusterTest = testNeeding(missingBinaries("nats-server", "redis-server"));

const VISA = "pm_card_visa";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function bootstrap(t: ExecutionContext, env: Record<string, string> = {}, size: { mains?: number; edges?: number } = {}) {
  t.timeout(180_000);
  const nats = await startNats(t);
  const redis = await startRedis(t, { aof: true });
  const cluster = await startCluster(t, { nats, redis, env, ...size });
  const store = new RedisStore(redis.url, `marquee:${cluster.namespace}`);
  t.teardown(() => store.close());
  const edge = (i: number) => cluster.edges[i % cluster.edges.length]!.url!;
  // The first main node seeds the demo catalog; wait until the gateways list it.
  const later = (r: { body: unknown }) => (Array.isArray(r.body) ? r.body : []).filter((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 6 * 3_600_000);
  const listed = await eventually(() => httpJson(edge(0), "GET", "/api/shows"), (r) => later(r).length >= 12);
  const shows: { id: string }[] = later(listed);
  return { nats, redis, cluster, store, edge, shows };
}

let users = 0;
async function customer(url: string): Promise<string> {
  const res = await httpJson(url, "POST", "/api/auth/register", { body: { email: `c${++users}-${process.pid}-${Date.now()}@example.com`, password: "correct horse battery", name: "Customer" } });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

/** Hold, book and pay: the confirmed booking. */
async function book(url: string, token: string, showId: string, seats: string[]) {
  const hold = await httpJson(url, "POST", `/api/shows/${showId}/holds`, { token, body: { seats } });
  if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${JSON.stringify(hold.body)}`);
  const booking = await httpJson(url, "POST", "/api/bookings", { token, body: { holdId: hold.body.id } });
  if (booking.status !== 201) throw new Error(`booking: ${booking.status} ${JSON.stringify(booking.body)}`);
  const paid = await httpJson(url, "POST", `/api/bookings/${booking.body.id}/pay`, { token, body: { paymentMethod: VISA } });
  if (paid.status !== 200) throw new Error(`pay: ${paid.status} ${JSON.stringify(paid.body)}`);
  return paid.body as { id: string; showId: string; seats: string[]; status: string };
}

/**
 * Replays a show's whole journal and fails on any moment where one seat had two owners: a hold
 * taking a seat that an active hold of someone else or a booking had, or a booking confirmed
 * from a hold that was not active.
 */
async function assertNoDoubleSale(t: ExecutionContext, store: RedisStore, showId: string): Promise<ShowEvent[]> {
  const events = await store.read<ShowEvent>(journalKey(showId));
  let state = initialState(showId);
  for (const event of events) {
    if (event.type === "SeatsHeld") {
      for (const seat of event.seats) {
        const claim = state.claims[seat];
        const replaceable = claim?.kind === "hold" && activeHold(state, claim.id)?.userId === event.userId;
        if (claim && !replaceable) t.fail(`show ${showId}: seat ${seat} held by ${event.holdId} while claimed by ${claim.kind} ${claim.id}`);
      }
      if (activeHold(state, event.holdId) || endedHold(state, event.holdId)) t.fail(`show ${showId}: hold ${event.holdId} recorded twice`);
    }
    if (event.type === "BookingConfirmed" && !activeHold(state, event.holdId)) t.fail(`show ${showId}: booking ${event.bookingId} confirmed from a hold that was not active`);
    if (event.type === "HoldExpired" && !activeHold(state, event.holdId)) t.fail(`show ${showId}: hold ${event.holdId} expired twice or after it ended`);
    state = evolve(state, event);
  }
  return events;
}

const ownerOf = async (store: RedisStore, showId: string) => (await store.leaseHolder(shardLease(shardOf(showId, 64))))?.owner;

clusterTest.serial("24 customers on two gateways race for the same seat of each of 12 shows: exactly one wins each", async (t) => {
  const env = await bootstrap(t);
  const { edge, shows, store } = env;
  const tokens = await Promise.all(Array.from({ length: 24 }, (_, i) => customer(edge(i))));
  const targets = shows.slice(0, 12);
  t.is(targets.length, 12);
  const results = await Promise.all(targets.flatMap((show) => tokens.map((token, i) =>
    httpJson(edge(i), "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["C5"] } }).then((r) => ({ show: show.id, status: r.status })))));
  for (const show of targets) {
    const statuses = results.filter((r) => r.show === show.id).map((r) => r.status);
    t.is(statuses.filter((s) => s === 201).length, 1, `one winner on ${show.id}`);
    t.is(statuses.filter((s) => s === 409).length, 23, `23 conflicts on ${show.id}`);
    await assertNoDoubleSale(t, store, show.id);
  }
  // A browser watching through the other gateway hears of a hold made on this one: seat changes
  // travel from the owner over the transporter to every gateway.
  const watched = targets[0]!.id;
  const stream = await fetch(`${edge(1)}/api/shows/${watched}/events`, { signal: AbortSignal.timeout(15_000) });
  const reader = stream.body!.getReader();
  let text = "";
  while (!text.includes("event: snapshot")) {
    const next = await reader.read();
    if (next.done) break;
    text += new TextDecoder().decode(next.value);
  }
  const watcherToken = await customer(edge(0));
  t.is((await httpJson(edge(0), "POST", `/api/shows/${watched}/holds`, { token: watcherToken, body: { seats: ["C7"] } })).status, 201);
  while (!/"C7":"held"/.test(text.split("event: seats")[1] ?? "")) {
    const next = await reader.read();
    if (next.done) break;
    text += new TextDecoder().decode(next.value);
  }
  await reader.cancel();
  t.regex(text.split("event: seats")[1] ?? "", /"C7":"held"/);

  // Both main nodes served shows: ownership really is spread over the cluster.
  const owners = new Set(await Promise.all(targets.map((s) => ownerOf(store, s.id))));
  t.is(owners.size, 2);
});

clusterTest.serial("kill -9 of a main node under traffic: confirmed bookings survive, holds resume on every show it served, no seat is sold twice", async (t) => {
  const env = await bootstrap(t);
  const { edge, shows, store, cluster } = env;
  const targets = shows.slice(0, 8);
  const tokens = await Promise.all(Array.from({ length: 8 }, (_, i) => customer(edge(i))));
  const confirmed = await Promise.all(targets.map((show, i) => book(edge(i), tokens[i]!, show.id, ["D1", "D2"])));
  t.true(confirmed.every((b) => b.status === "confirmed"));

  const owners = new Map(await Promise.all(targets.map(async (s) => [s.id, await ownerOf(store, s.id)] as const)));
  const victim = cluster.mains.find((m) => [...owners.values()].includes(m.nodeID))!;
  const affected = targets.filter((s) => owners.get(s.id) === victim.nodeID);
  t.true(affected.length > 0);

  // Traffic keeps flowing on every show while the owner dies.
  let stop = false;
  const seen: { status: number; retryAfter: string | null }[] = [];
  const traffic = Promise.all(tokens.map(async (token, i) => {
    let n = 0;
    while (!stop) {
      const show = targets[(i + n) % targets.length]!;
      const r = await httpJson(edge(i + n), "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: [`E${(n % 8) + 1}`] }, timeoutMs: 20_000 });
      seen.push({ status: r.status, retryAfter: r.headers.get("retry-after") });
      n++;
      await sleep(25);
    }
  }));
  await sleep(500);
  await victim.kill();
  const killedAt = Date.now();
  const recovered = await Promise.all(affected.map(async (show, i) => {
    for (let attempt = 0; ; attempt++) {
      const r = await httpJson(edge(i), "POST", `/api/shows/${show.id}/holds`, { token: tokens[7 - (i % 8)]!, body: { seats: [`F${(attempt % 8) + 1}`] }, timeoutMs: 20_000 });
      if (r.status === 201) return Date.now() - killedAt;
      if (Date.now() - killedAt > 30_000) return Infinity;
      await sleep(50);
    }
  }));
  stop = true;
  await traffic;
  t.log(`first successful hold on each affected show after the kill: ${recovered.join(", ")} ms`);
  // How fast is a benchmark's business (bench/cluster.ts, target 5 s); here, that holds resume at all.
  for (const ms of recovered) t.true(Number.isFinite(ms), "holds resumed on every show of the dead node");
  // Customers saw a success, a seat conflict, or (only while no owner existed) a clean 503 with
  // Retry-After: never a server error, never a hang (httpJson would have thrown).
  const statuses = new Set(seen.map((s) => s.status));
  t.log(`statuses during the failover: ${[...statuses].join(", ")} over ${seen.length} requests`);
  for (const status of statuses) t.true([201, 409, 503].includes(status), `status ${status}`);
  t.true(seen.filter((s) => s.status === 503).every((s) => s.retryAfter !== null));

  for (const booking of confirmed) {
    const again = await httpJson(edge(0), "GET", `/api/bookings/${booking.id}`, { token: tokens[confirmed.indexOf(booking)]! });
    t.is(again.body.status, "confirmed");
    const seats = (await httpJson(edge(1), "GET", `/api/shows/${booking.showId}`)).body.seats as { id: string; status: string }[];
    for (const seat of booking.seats) t.is(seats.find((s) => s.id === seat)?.status, "booked");
  }
  for (const show of targets) await assertNoDoubleSale(t, store, show.id);
});

clusterTest.serial("a main node joining takes over a share of the shows without a pause longer than a lease", async (t) => {
  const env = await bootstrap(t, {}, { mains: 1, edges: 2 });
  const { edge, shows, store, cluster, nats, redis } = env;
  const targets = shows.slice(0, 16);
  const tokens = await Promise.all(targets.map((_, i) => customer(edge(i))));
  await Promise.all(targets.map((show, i) => httpJson(edge(i), "POST", `/api/shows/${show.id}/holds`, { token: tokens[i]!, body: { seats: ["A1"] } })));
  const first = cluster.mains[0]!.nodeID;
  t.true((await Promise.all(targets.map((s) => ownerOf(store, s.id)))).every((o) => o === first));

  const joined = await startNode(t, { TRANSPORTER: nats.url, REDIS_URL: redis.url, NAMESPACE: cluster.namespace, SERVICES: MAIN_SERVICES, SEED_DEMO: "false" }, { name: "main-joined" });
  // Shards sit still for 10 s before they move (no ping-pong while views of the cluster settle);
  // customers keep holding seats all the while.
  const slowest: number[] = [];
  const statuses = new Set<number>();
  const until = Date.now() + 16_000;
  await Promise.all(targets.map(async (show, i) => {
    for (let n = 0; Date.now() < until; n++) {
      const started = Date.now();
      const r = await httpJson(edge(i + n), "POST", `/api/shows/${show.id}/holds`, { token: tokens[i]!, body: { seats: [`B${(n % 6) + 1}`] } });
      statuses.add(r.status);
      slowest.push(Date.now() - started);
      await sleep(100);
    }
  }));
  const owners = await Promise.all(targets.map((s) => ownerOf(store, s.id)));
  t.true(owners.includes(joined.nodeID), "the new node owns some of the shows");
  t.true(owners.includes(first), "the first node kept the rest");
  t.deepEqual([...statuses], [201]);
  const worst = Math.max(...slowest);
  t.log(`slowest hold during the rebalance: ${worst} ms`);
  t.true(worst < 2_000, `no pause longer than the 2 s lease period (${worst} ms)`);
  for (const show of targets) await assertNoDoubleSale(t, store, show.id);
});

clusterTest.serial("an owner paused past its lease cannot write a single event after it resumes", async (t) => {
  const env = await bootstrap(t, { LEASE_TTL_MS: "1500", HOLD_TTL_MS: "4000" });
  const { edge, shows, store, cluster, nats } = env;
  const show = shows[0]!;
  const token = await customer(edge(0));
  const first = await httpJson(edge(0), "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["G1"] } });
  t.is(first.status, 201);
  const staleID = (await ownerOf(store, show.id))!;
  const stale = cluster.mains.find((m) => m.nodeID === staleID)!;

  stale.pause();
  t.teardown(() => stale.resume());
  // The other main node takes the show over once the lease has run out; the paused node's
  // hold-expiry timer for G1 is still pending inside it.
  const other = await customer(edge(1));
  let taken = false;
  for (let i = 0; i < 100 && !taken; i++) {
    taken = (await httpJson(edge(1), "POST", `/api/shows/${show.id}/holds`, { token: other, body: { seats: ["G2"] } })).status === 201;
    if (!taken) await sleep(100);
  }
  t.true(taken, "another node serves the show while the owner is paused");
  t.not(await ownerOf(store, show.id), staleID);
  await sleep(4_500); // G1's hold expires under the new owner
  const before = await store.read<ShowEvent>(journalKey(show.id));

  stale.resume();
  // Straight at the resumed node, bypassing routing: it must refuse rather than write.
  const probe = new ServiceBroker({ namespace: cluster.namespace, transporter: nats.url as "NATS", logger: false, nodeID: `probe-${process.pid}` });
  await probe.start();
  t.teardown(() => probe.stop());
  await probe.waitForServices({ name: "show" }, 10_000);
  for (let i = 0; i < 20 && !probe.registry.nodes.get(staleID)?.available; i++) await sleep(250);
  const quote = { showId: show.id, currency: "INR", total: 1, seatPrices: { G9: 1 }, lines: [], quotedAt: new Date().toISOString() };
  const refused = await t.throwsAsync(probe.call("show.hold", { showId: show.id, holdId: "stale-probe", userId: "u-stale", seats: ["G9"], quote }, { nodeID: staleID, retries: 0 }));
  t.is((refused as { type?: string }).type, "NOT_OWNER");
  await sleep(1_000); // the resumed node's overdue expiry timer has fired by now

  const after = await assertNoDoubleSale(t, store, show.id);
  t.deepEqual(after.slice(0, before.length), before);
  t.false(after.some((e) => e.type === "SeatsHeld" && e.holdId === "stale-probe"));
  t.is(after.filter((e) => e.type === "HoldExpired" && e.holdId === first.body.id).length, 1, "G1 expired once, by the new owner");
});

clusterTest.serial("Redis killed and restarted from its AOF loses nothing acknowledged; NATS restarted, nodes reconnect and serve", async (t) => {
  const env = await bootstrap(t);
  const { edge, shows, redis, nats } = env;
  const token = await customer(edge(0));
  const booking = await book(edge(0), token, shows[1]!.id, ["A1", "A2"]);

  await redis.kill();
  await redis.restart();
  const afterRedis = await eventually(() => httpJson(edge(1), "GET", `/api/bookings/${booking.id}`, { token }), (r) => r.status === 200);
  t.is(afterRedis.body.status, "confirmed");
  const hold = await eventually(() => httpJson(edge(1), "POST", `/api/shows/${shows[1]!.id}/holds`, { token, body: { seats: ["A3"] } }), (r) => r.status === 201);
  t.is(hold.status, 201);

  await nats.restart();
  const afterNats = await eventually(() => httpJson(edge(0), "POST", `/api/shows/${shows[2]!.id}/holds`, { token, body: { seats: ["A4"] } }), (r) => r.status === 201);
  t.is(afterNats.status, 201, JSON.stringify(afterNats.body));
  const seats = (await httpJson(edge(1), "GET", `/api/shows/${shows[1]!.id}`)).body.seats as { id: string; status: string }[];
  t.is(seats.find((s) => s.id === "A1")?.status, "booked");
});

clusterTest.serial("a cold restart of the whole cluster brings every booking and hold back from Redis", async (t) => {
  const env = await bootstrap(t);
  const { edge, shows, cluster, nats, redis } = env;
  const token = await customer(edge(0));
  const booking = await book(edge(0), token, shows[3]!.id, ["B1"]);
  const hold = await httpJson(edge(1), "POST", `/api/shows/${shows[4]!.id}/holds`, { token, body: { seats: ["B2"] } });
  t.is(hold.status, 201);

  await Promise.all([...cluster.mains, ...cluster.edges].map((n: MarqueeNode) => n.stop()));
  const again: Cluster = await startCluster(t, { nats, redis, namespace: cluster.namespace });
  const url = again.edges[1]!.url!;
  const back = await eventually(() => httpJson(url, "GET", `/api/bookings/${booking.id}`, { token }), (r) => r.status === 200);
  t.is(back.body.status, "confirmed");
  const heldAgain = await httpJson(url, "GET", `/api/holds/${hold.body.id}`, { token });
  t.is(heldAgain.body.status, "active");
  const seats = (await httpJson(url, "GET", `/api/shows/${shows[4]!.id}`)).body.seats as { id: string; status: string }[];
  t.is(seats.find((s) => s.id === "B2")?.status, "held");
});

/** Retries `attempt` until `done` accepts its answer or the time is up, then returns the last
 * answer for the caller to assert on; throws the last error when no attempt answered at all. */
async function eventually<T>(attempt: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = { value: await attempt() };
      if (done(last.value)) return last.value;
    } catch (error) {
      lastError = error; // not yet
    }
    if (Date.now() > deadline) {
      if (last) return last.value;
      throw new Error(`no attempt answered within ${timeoutMs / 1000} s`, { cause: lastError });
    }
    await sleep(250);
  }
}
