// `npm run bench`: hold/release throughput against a no-op baseline on the same gateway, in one
// run, and a contention scenario. Machines here are noisy, so the ratio is what counts.
import type autocannon from "autocannon";
import { Redis } from "ioredis";
import { simulate, type SimulationSummary } from "../scripts/simulate.ts";
import { call, register } from "./client.ts";
import { CONNECTIONS, log, medianOf, pct, prepare, ROUND_SECONDS, ROUNDS, spread, type Run } from "./measure.ts";
import { dropKeys, pinLoadGenerator, startServerProcess } from "./server.ts";

const RACERS = Number(process.env.BENCH_RACERS ?? 1000);

type Json = any;

async function contention(url: string) {
  const admin = (await call(url, "POST", "/api/auth/login", { email: "admin@marquee.local", password: "marquee-admin" })).body.token;
  const movie = (await call(url, "POST", "/api/admin/movies", { title: `Contention ${Date.now()}`, durationMinutes: 100, rating: "U", languages: ["English"], genres: ["Drama"] }, admin)).body;
  const rows = Array.from({ length: 10 }, (_, i) => ({ row: String.fromCharCode(65 + i), category: "standard", seats: "sssss_sssss" }));
  const cinema = (await call(url, "POST", "/api/admin/cinemas", { name: `Race ${Date.now()}`, city: "Benchpur", timezone: "Asia/Kolkata", screens: [{ name: "Race", layout: { rows } }] }, admin)).body;
  const show = (await call(url, "POST", "/api/admin/shows", { movieId: movie.id, cinemaId: cinema.id, screenId: cinema.screens[0].id, startsAt: new Date(Date.now() + 5 * 86_400_000).toISOString(), prices: { standard: 20000 } }, admin)).body;
  const seats: string[] = (await call(url, "GET", `/api/shows/${show.id}`)).body.seats.map((s: Json) => s.id);
  const fillers = await register(url, 9, "filler");
  for (let i = 0; i < 9; i++) {
    const r = await call(url, "POST", `/api/shows/${show.id}/holds`, { seats: seats.slice(i * 10, i * 10 + 10) }, fillers[i]);
    if (r.status !== 201) throw new Error(`filler hold failed: ${r.status}`);
  }
  const last10 = seats.slice(90);
  const racers = await register(url, RACERS, "racer");
  log(`contention: ${RACERS} clients race for the last ${last10.length} seats of one show`);
  const latencies: number[] = [];
  const statuses = await Promise.all(racers.map(async (token, i) => {
    const started = performance.now();
    const r = await call(url, "POST", `/api/shows/${show.id}/holds`, { seats: [last10[i % last10.length]] }, token);
    latencies.push(performance.now() - started);
    return r.status;
  }));
  latencies.sort((a, b) => a - b);
  const final = (await call(url, "GET", `/api/shows/${show.id}`)).body.seats.filter((s: Json) => s.status === "held").length;
  return { winners: statuses.filter((s) => s === 201).length, conflicts: statuses.filter((s) => s === 409).length, other: statuses.filter((s) => s !== 201 && s !== 409).length, heldAfter: final, p50: latencies[Math.floor(latencies.length * 0.5)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const namespace = `bench-${process.pid}-${Date.now()}`;
const serverCpu = pinLoadGenerator();
log(serverCpu === undefined ? "cores: not pinned (one core, or no taskset): server and load generator share the machine" : `cores: servers on core ${serverCpu}, the load generator on the other`);
// Both servers run side by side (the idle one costs nothing), so their rounds can alternate.
// Capacity, not overload: 50 connections keep the node saturated, where load shedding would
// answer part of them with fast 503s (bench/overload.ts measures that).
const capacity = { SCRYPT_N: "1024", LOGIN_MAX_PER_ADDRESS: "100000", SIGNUP_MAX_PER_ADDRESS: "100000", SHED_MAX_WRITES: "0", SHED_MAX_READS: "0" };
const server = await startServerProcess(capacity, serverCpu);
const redisServer = await startServerProcess({ ...capacity, REDIS_URL, NAMESPACE: namespace }, serverCpu);
type Round = { baseline: Run; holds: Run; redisBaseline: Run; redisHolds: Run };
const rounds: Round[] = [];
let race: Awaited<ReturnType<typeof contention>>;
let crowd: SimulationSummary;
try {
  const memory = await prepare(server.url, server.child.pid!);
  log(`and with Redis persistence (${REDIS_URL}, a private namespace)`);
  const redis = await prepare(redisServer.url, redisServer.child.pid!);
  // The machine is noisy: short alternating rounds expose every scenario to the same noise, and
  // each reported ratio is the median of its per-round ratios.
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: no-op GET /api/health, then POST holds + DELETE holds over ${memory.showIds.length} shows, memory store then Redis store, ${ROUND_SECONDS}s each, ${CONNECTIONS} connections`);
    rounds.push({ baseline: await memory.baselineRun(), holds: await memory.holdsRun(), redisBaseline: await redis.baselineRun(), redisHolds: await redis.holdsRun() });
  }
  race = await contention(server.url);
  const crowdSize = Number(process.env.BENCH_CROWD ?? 1000);
  log(`crowd: ${crowdSize} simulated customers (browse, hold, think, pay or abandon) on 3 shows`);
  // Visa only, paid directly: the crowd measures the booking path, comparable across runs.
  crowd = await simulate({ url: server.url, users: crowdSize, shows: 3, seed: 7, thinkMs: 200, paymentMethod: "pm_card_visa" });
} finally {
  await Promise.all([server.stop(), redisServer.stop()]);
  const client = new Redis(REDIS_URL);
  await dropKeys(client, `marquee:${namespace}`).finally(() => client.quit());
}

const rate = (r: autocannon.Result) => r.requests.average;
const holdRatios = rounds.map((r) => rate(r.holds) / rate(r.baseline));
const redisRatios = rounds.map((r) => rate(r.redisHolds) / rate(r.holds));
const middle = rounds[holdRatios.indexOf(medianOf(holdRatios))]!;
const row = (name: string, r: Run) => `| ${name} | ${Math.round(r.requests.average)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} | ${r.serverCpuUs?.toFixed(0) ?? "n/a"} | ${r.clientCpuUs.toFixed(0)} |`;
console.log(`\nnode ${process.version}, ${ROUNDS} alternating rounds of ${ROUND_SECONDS}s per scenario, ${CONNECTIONS} connections; the round with the median hold ratio is shown\n`);
console.log("| scenario | requests/s | p50 ms | p99 ms | non-2xx | server CPU µs/request | load generator CPU µs/request |\n|---|---|---|---|---|---|---|");
console.log(row("no-op action (GET /api/health), memory store", middle.baseline));
console.log(row("hold + release cycles, memory store", middle.holds));
console.log(row("no-op action (GET /api/health), Redis store", middle.redisBaseline));
console.log(row("hold + release cycles, Redis store", middle.redisHolds));
console.log(`\nhold/release throughput = ${pct(medianOf(holdRatios))} of the no-op baseline, median of ${ROUNDS} rounds, spread ${spread(holdRatios, pct)} (${holdRatios.map(pct).join(", ")}) (target >= 60%)${serverCpu === undefined ? "; cores not pinned" : "; server and load generator on separate cores"}`);
const cpuRatios = rounds.flatMap((r) => (r.holds.serverCpuUs && r.baseline.serverCpuUs ? [r.holds.serverCpuUs / r.baseline.serverCpuUs] : []));
if (cpuRatios.length) console.log(`server CPU per hold/release request = ${medianOf(cpuRatios).toFixed(2)}x a no-op request, median of ${cpuRatios.length} rounds, spread ${spread(cpuRatios, (x) => x.toFixed(2))} (target <= 1.5x)`);
console.log(`hold/release with Redis persistence = ${pct(medianOf(redisRatios))} of the in-memory store, median of ${ROUNDS} rounds (${redisRatios.map(pct).join(", ")}) (target >= 60%)`);
console.log(`contention: ${RACERS} clients, last 10 seats: ${race.winners} winners, ${race.conflicts} conflicts, ${race.other} other; ${race.heldAfter - 90} of the 10 seats held after; p50 ${race.p50.toFixed(1)} ms, p99 ${race.p99.toFixed(1)} ms`);
const hold = crowd.latency.hold;
console.log(`crowd (npm run simulate): ${crowd.users} customers on 3 shows: ${crowd.attempts} hold attempts, ${crowd.wins} wins, ${crowd.conflicts} conflicts, ${crowd.abandoned.released + crowd.abandoned.expired} abandoned holds, ${crowd.bookingsConfirmed} bookings, ${crowd.doubleBookings} double bookings; history check: ${crowd.verification.history ? (crowd.verification.history.length ? `${crowd.verification.history.length} violations` : "every charge confirmed or refunded") : "not run"}; hold p50 ${hold.p50.toFixed(0)} ms, p99 ${hold.p99.toFixed(0)} ms`);
if (crowd.doubleBookings !== 0) { console.error("crowd: double bookings detected"); process.exitCode = 1; }
if (crowd.verification.history?.length) { console.error(`crowd: the history checker found ${crowd.verification.history.join("; ")}`); process.exitCode = 1; }
if (race.winners !== 10) { console.error("contention: expected exactly 10 winners"); process.exitCode = 1; }
