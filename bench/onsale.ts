// `node --expose-gc bench/onsale.ts` (part of `npm run bench`): one hot on-sale on one node.
// 10,000 simulated customers for one 400-seat show (npm run simulate -- --onsale, as a library):
// time to sell out, double bookings, an admitted customer's hold latency. Then what a waiting
// customer costs the server: the queue entry in the memory store (heap, measured in process)
// and in Redis (MEMORY USAGE of the sorted set), per customer.
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { MemoryStore } from "../infra/memory-store.ts";
import { RedisStore } from "../infra/redis-store.ts";
import { formatOnSaleSummary, onsaleViolated, simulateOnSale } from "../scripts/simulate-onsale.ts";
import { dropKeys, startServerProcess } from "./server.ts";

const USERS = Number(process.env.BENCH_ONSALE_USERS ?? 10_000);
const SEATS = 400;
const MEASURED = 100_000;
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const log = (message: string) => process.stderr.write(`${message}\n`);
/** Customer ids as the auth service makes them: usr_ and 32 hex digits. */
const accountId = () => `usr_${randomUUID().replaceAll("-", "")}`;

async function heapPerMember(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with node --expose-gc");
  const store = new MemoryStore();
  const ids = Array.from({ length: MEASURED }, accountId);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (const id of ids) await store.addRanked("queue:bench", id, Math.random());
  gc();
  const after = process.memoryUsage().heapUsed;
  if ((await store.countRanked("queue:bench")) !== MEASURED) throw new Error("the queue lost members");
  return (after - before) / MEASURED;
}

async function redisPerMember(): Promise<number> {
  const prefix = `bench-onsale-${process.pid}`;
  const store = new RedisStore(REDIS_URL, prefix);
  try {
    for (let i = 0; i < MEASURED; i += 1_000) await Promise.all(Array.from({ length: 1_000 }, () => store.addRanked("queue:bench", accountId(), Math.random())));
    const bytes = Number(await store.redis.call("MEMORY", "USAGE", `${prefix}:ranked:queue:bench`, "SAMPLES", "0"));
    return bytes / MEASURED;
  } finally {
    const client = new Redis(REDIS_URL);
    await dropKeys(client, prefix).finally(() => client.quit());
    await store.close();
  }
}

log(`on-sale: ${USERS} customers for one ${SEATS}-seat show on one node`);
const server = await startServerProcess({ SCRYPT_N: "1024", LOGIN_MAX_PER_ADDRESS: "1000000", SIGNUP_MAX_PER_ADDRESS: "1000000", HOLD_TTL_MS: "60000", SEED_DEMO: "false" });
let summary;
try {
  summary = await simulateOnSale({ url: server.url, users: USERS, seats: SEATS, prequeueSeconds: 20, lateShare: 0.1, windowSeconds: 120, seed: 15, log });
} finally {
  await server.stop();
}
const heap = await heapPerMember();
const redis = await redisPerMember();

console.log(`\n${formatOnSaleSummary(summary)}`);
console.log("| on-sale, one node, node " + process.version + " | |\n|---|---|");
console.log(`| customers / seats | ${summary.users} / ${summary.seats} (${summary.prequeued} in the pre-queue) |`);
console.log(`| time to sell out | ${summary.timeToSellOutMs === null ? "not sold out" : `${(summary.timeToSellOutMs / 1000).toFixed(1)} s after the opening`} |`);
console.log(`| customers let in | ${summary.admitted} |`);
console.log(`| double bookings | ${summary.doubleBookings} |`);
console.log(`| admitted customers' holds | p50 ${summary.latency.hold.p50.toFixed(0)} ms, p99 ${summary.latency.hold.p99.toFixed(0)} ms (${summary.latency.hold.count}) |`);
console.log(`| lottery: Spearman arrival vs place | ${summary.lotteryCorrelation} |`);
console.log(`| waiting customer, memory store | ${heap.toFixed(0)} bytes of heap (${MEASURED} queued) |`);
console.log(`| waiting customer, Redis | ${redis.toFixed(0)} bytes (MEMORY USAGE of the sorted set / ${MEASURED}) |`);
if (onsaleViolated(summary) || !summary.soldOut) { console.error("on-sale: double bookings, a seat map out of step, or not sold out"); process.exitCode = 1; }
