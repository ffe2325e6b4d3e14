// Cluster benchmarks: failover time (kill -9 of a show's owner to the first successful hold on
// that show, median of 5) and memory per show (idle in Redis, active in a node). Runs against
// the NATS and Redis given by BENCH_TRANSPORTER / BENCH_REDIS_URL, in a private namespace.
import { randomUUID } from "node:crypto";
import type { ShowEvent } from "../domain/show/types.ts";
import { MemoryStore } from "../infra/memory-store.ts";
import { shardLease, shardOf } from "../infra/placement.ts";
import { RedisStore } from "../infra/redis-store.ts";
import { journalKey, ShowActor } from "../infra/show-actor.ts";
import { dropKeys, startServerProcess, type RunningServer } from "./server.ts";

const TRANSPORTER = process.env.BENCH_TRANSPORTER ?? "nats://127.0.0.1:4222";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const ROUNDS = Number(process.env.BENCH_FAILOVER_ROUNDS ?? 5);
const log = (message: string) => process.stderr.write(`${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function call(url: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(url + path, {
    method, signal: AbortSignal.timeout(15_000),
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Another node takes a dead owner's shows over within seconds: the lease TTL plus detection. */
const FAILOVER_TARGET_MS = 5_000;

async function failover(): Promise<number[]> {
  const namespace = `bench-failover-${randomUUID().slice(0, 8)}`;
  const env = { TRANSPORTER, REDIS_URL, NAMESPACE: namespace, SCRYPT_N: "1024", LOGIN_MAX_PER_ADDRESS: "100000", SIGNUP_MAX_PER_ADDRESS: "100000" };
  const mainEnv = (n: number) => ({ ...env, SERVICES: "show,catalog,pricing,payment,auth", NODE_ID: `main-${n}`, SEED_DEMO: n === 1 ? "true" : "false" });
  const store = new RedisStore(REDIS_URL, `marquee:${namespace}`);
  const nodes = new Map<string, RunningServer>();
  let next = 1;
  const startMain = async () => { const n = next++; nodes.set(`main-${n}`, await startServerProcess(mainEnv(n))); };
  const times: number[] = [];
  try {
    await startMain();
    await startMain();
    const edge = await startServerProcess({ ...env, SERVICES: "api,admin,tickets,reviews", NODE_ID: "edge-1" });
    nodes.set("edge-1", edge);
    const token = (await call(edge.url, "POST", "/api/auth/register", { email: `failover-${Date.now()}@bench.local`, password: "bench password", name: "Bench" })).body.token;
    const shows: { id: string }[] = (await call(edge.url, "GET", "/api/shows")).body.filter((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 3 * 3600_000);
    let seat = 0;
    const seatName = () => `${String.fromCharCode(65 + Math.floor(seat / 8) % 6)}${(seat++ % 8) + 1}`;
    for (let round = 0; round < ROUNDS; round++) {
      // A show whose owner is a main node still alive: hold a seat on it, then find its owner.
      const show = shows[(round * 7) % shows.length]!;
      const held = await call(edge.url, "POST", `/api/shows/${show.id}/holds`, { seats: [seatName()] }, token);
      if (held.status !== 201) throw new Error(`warm-up hold failed: ${held.status} ${JSON.stringify(held.body)}`);
      const owner = (await store.leaseHolder(shardLease(shardOf(show.id, 64))))?.owner;
      const victim = owner ? nodes.get(owner) : undefined;
      if (!owner || !victim) throw new Error(`no live owner found for ${show.id}`);
      await victim.kill();
      const killedAt = performance.now();
      for (;;) {
        const r = await call(edge.url, "POST", `/api/shows/${show.id}/holds`, { seats: [seatName()] }, token);
        if (r.status === 201) break;
        if (performance.now() - killedAt > 30_000) throw new Error(`no successful hold within 30 s of the kill: ${r.status}`);
        await sleep(20);
      }
      times.push(performance.now() - killedAt);
      log(`  failover round ${round + 1}/${ROUNDS}: killed ${owner}, first hold after ${Math.round(times.at(-1)!)} ms`);
      nodes.delete(owner);
      await startMain();
    }
  } finally {
    await Promise.all([...nodes.values()].map((n) => n.stop()));
    await dropKeys(store.redis, `marquee:${namespace}`);
    await store.close();
  }
  return times;
}

// A realistic show's journal: a 400-seat screen scheduled, then a handful of holds and bookings.
function journal(showId: string): ShowEvent[] {
  const seats = Array.from({ length: 400 }, (_, i) => ({ id: `${String.fromCharCode(65 + Math.floor(i / 20))}${(i % 20) + 1}`, forSale: true }));
  const at = Date.now();
  const quote = { showId, currency: "INR", total: 25_000, seatPrices: {}, lines: [], quotedAt: new Date(at).toISOString() };
  const events: ShowEvent[] = [{ type: "ShowScheduled", showId, startsAt: at + 86_400_000, seats: seats.map((s) => s.id), notForSale: [] }];
  for (let i = 0; i < 5; i++) {
    events.push({ type: "SeatsHeld", holdId: `h${i}`, userId: `u${i}`, seats: [seats[i]!.id], at, expiresAt: at + 480_000, quote });
    events.push({ type: "BookingConfirmed", bookingId: `b${i}`, holdId: `h${i}`, paymentId: `p${i}`, at });
  }
  return events;
}

async function memoryInRedis(count: number): Promise<number> {
  const prefix = `bench-memory-${randomUUID().slice(0, 8)}`;
  const store = new RedisStore(REDIS_URL, prefix);
  const info = async () => Number(/used_memory:(\d+)/.exec(await store.redis.info("memory"))![1]);
  try {
    const before = await info();
    for (let i = 0; i < count; i += 200) {
      await Promise.all(Array.from({ length: Math.min(200, count - i) }, (_, j) => store.append(journalKey(`show-${i + j}`), journal(`show-${i + j}`))));
      process.stderr.write(`\r  writing show journals to Redis: ${Math.min(count, i + 200)}/${count}`);
    }
    process.stderr.write("\n");
    return ((await info()) - before) / count;
  } finally {
    await dropKeys(store.redis, prefix);
    await store.close();
  }
}

async function memoryPerActor(count: number): Promise<number> {
  const store = new MemoryStore();
  for (let i = 0; i < count; i++) await store.append(journalKey(`show-${i}`), journal(`show-${i}`));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const actors: ShowActor[] = [];
  for (let i = 0; i < count; i++) actors.push(await ShowActor.activate(`show-${i}`, { store }));
  gc?.();
  const perActor = (process.memoryUsage().heapUsed - before) / count;
  await Promise.all(actors.map((a) => a.stop()));
  return perActor;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const times = await failover();
const redisBytes = await memoryInRedis(Number(process.env.BENCH_REDIS_SHOWS ?? 10_000));
const actorBytes = await memoryPerActor(Number(process.env.BENCH_ACTORS ?? 2_000));
console.log(`\ncluster: 2 main nodes + 1 edge on ${TRANSPORTER} and ${REDIS_URL}`);
console.log("| measure | value |\n|---|---|");
console.log(`| failover: kill -9 of a show's owner to the first successful hold on it, median of ${times.length} (target <= ${FAILOVER_TARGET_MS} ms: ${median(times) <= FAILOVER_TARGET_MS ? "met" : "NOT met"}) | ${Math.round(median(times))} ms (all: ${times.map((x) => Math.round(x)).join(", ")} ms) |`);
console.log(`| Redis memory per idle show (400 seats, 11 events) | ${kib(redisBytes)} |`);
console.log(`| heap per active show actor (same show) | ${kib(actorBytes)} |`);
console.log(`| 100,000 idle shows in Redis, estimated | ${(redisBytes * 100_000 / 1024 / 1024).toFixed(0)} MiB; a node keeps at most MAX_ACTIVE_SHOWS actors (${kib(actorBytes)} each) |`);
