// `node bench/overload.ts` (part of `npm run bench`): what a node does when offered far more
// holds than it can serve. First its best rate (closed loop, 16 connections, no shedding); then
// holds arriving at 5x that rate, open loop (bench/open-loop.ts: on a schedule, whatever the node
// answers, latency counted from when each was due), to a node with load shedding (the default
// bounds) and to one without (SHED_MAX_WRITES=0), in the same run. Reported per node: goodput
// (answers that did the work: 201 held, 409 taken) against the best rate, p99 of those against
// their p99 at the best rate, how fast the 503s came back, the node's CPU per answer, and the
// node's own view of where the time went (event-loop delay, admission counts, from /metrics).
import { call, register } from "./client.ts";
import { closedLoop, openLoop, rawRequest, type OpenLoopResult } from "./open-loop.ts";
import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { cpuMsOf, cpuTimesOf, freePort, pinLoadGenerator, startServerProcess, type RunningServer } from "./server.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FACTOR = Number(process.env.BENCH_OVERLOAD ?? 5);
const BEST_CONNECTIONS = Number(process.env.BENCH_BEST_CONNECTIONS ?? 16);
/** Each node first serves holds at its own pace this long, so no run measures V8 compiling the hold path. */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const USERS = 200;

type Json = any;
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Outcome { generatorLagP99Ms: number; seconds: number; goodput: number; served: number[]; servedOnWire: number[]; shed: number[]; shedOnWire: number[]; waited: number[]; other: number; noRetryAfter: number; lost: number; cpuMs: number; connections: number; node: Record<string, number> }

const percentile = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN);

/** Holds of one random seat on a random show by a random customer: a new hold replaces the customer's previous one on that show, so seats keep coming back and the load is steady. */
async function holdRequests(url: string): Promise<() => Buffer> {
  const tokens = await register(url, USERS, "overload");
  const shows: Json[] = (await call(url, "GET", "/api/shows")).body.filter((s: Json) => Date.parse(s.startsAt) > Date.now() + 3 * 3600_000);
  const seats = new Map<string, string[]>();
  for (const show of shows) seats.set(show.id, (await call(url, "GET", `/api/shows/${show.id}`)).body.seats.filter((s: Json) => s.status === "available").map((s: Json) => s.id));
  const showIds = [...seats.keys()];
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  return () => {
    const showId = pick(showIds);
    return rawRequest("POST", `/api/shows/${showId}/holds`, { authorization: `Bearer ${pick(tokens)}` }, JSON.stringify({ seats: [pick(seats.get(showId)!)] }));
  };
}

/** The node's own counters (marquee_admission_*, marquee_eventloop_*) from its /metrics, by name and labels. */
async function nodeView(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const view: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^marquee_(admission|eventloop)_(\S+?)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = (m[3] ?? "").split(",").filter((l) => /^(class|outcome|quantile)=/.test(l)).join(",");
    view[`${m[1]}_${m[2]}${labels ? `{${labels}}` : ""}`] = Number(m[4]);
  }
  return view;
}

async function scenario(env: Record<string, string>, cpu: number | undefined, load: (url: string, next: () => Buffer) => Promise<OpenLoopResult>): Promise<Outcome> {
  const server: RunningServer = await startServerProcess({ LOG_LEVEL: "error", SCRYPT_N: "1024", LOGIN_MAX_PER_ADDRESS: "100000", SIGNUP_MAX_PER_ADDRESS: "100000", ...env }, cpu);
  try {
    const next = await holdRequests(server.url);
    await closedLoop({ url: server.url, connections: BEST_CONNECTIONS, seconds: WARMUP_SECONDS, next });
    const before = cpuMsOf(server.child.pid!) ?? NaN;
    const started = performance.now();
    // The generator's own loop: when it runs late, requests go out late and the node is blamed.
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const result = await load(server.url, next);
    lag.disable();
    const seconds = SECONDS;
    const cpuMs = (cpuMsOf(server.child.pid!) ?? NaN) - before;
    log(`  ${result.answers.length} answers in ${((performance.now() - started) / 1000).toFixed(1)} s, ${result.timeouts} unanswered, ${result.errors} errors, ${result.connections} connections`);
    const outcome: Outcome = { generatorLagP99Ms: lag.percentile(99) / 1e6, seconds, goodput: 0, served: [], servedOnWire: [], shed: [], shedOnWire: [], waited: [], other: 0, noRetryAfter: 0, lost: result.timeouts + result.errors, cpuMs, connections: result.connections, node: await nodeView(server.url) };
    for (const a of result.answers) {
      outcome.waited.push(a.waitedMs);
      if (a.status === 201 || a.status === 409) {
        outcome.served.push(a.ms);
        outcome.servedOnWire.push(a.ms - a.waitedMs);
        if (a.at <= SECONDS * 1000) outcome.goodput += 1;
      }
      else if (a.status === 503) {
        outcome.shed.push(a.ms);
        outcome.shedOnWire.push(a.ms - a.waitedMs);
        if (!a.retryAfter) outcome.noRetryAfter += 1;
      } else outcome.other += 1;
    }
    return outcome;
  } finally {
    await server.stop();
  }
}

/**
 * Node CPU per refusal: bench/refusal-server.ts on the node's core, every write refused, 64
 * connections in a closed loop, requests shaped as the holds are. What HTTP itself costs (the kernel's TCP, node:http's parser
 * and response), the floor under any refusal on one event loop.
 */
async function refusalCost(cpu: number | undefined, next: () => Buffer): Promise<{ us: number; kernelUs: number; perSecond: number }> {
  const port = await freePort();
  const script = fileURLToPath(new URL("refusal-server.ts", import.meta.url));
  const [command, args] = cpu === undefined ? [process.execPath, [script]] : ["taskset", ["-c", String(cpu), process.execPath, script]];
  const child = spawn(command, args, { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise<void>((resolve, reject) => { child.stdout.once("data", () => resolve()); child.once("exit", reject); });
    const url = `http://127.0.0.1:${port}`;
    const before = cpuTimesOf(child.pid!);
    const result = await closedLoop({ url, connections: 64, seconds: SECONDS / 2, next });
    const after = cpuTimesOf(child.pid!);
    const refused = result.answers.filter((a) => a.status === 503).length;
    const perRefusal = (ms: number | undefined) => ((ms ?? NaN) * 1000) / refused;
    return {
      us: perRefusal(after && before && after.userMs + after.systemMs - before.userMs - before.systemMs),
      kernelUs: perRefusal(after && before && after.systemMs - before.systemMs),
      perSecond: refused / (SECONDS / 2),
    };
  } finally {
    child.kill("SIGKILL");
  }
}

const cpu = pinLoadGenerator();
log(cpu === undefined ? "cores: not pinned (one core, or no taskset)" : `cores: the node on core ${cpu}, the load generator on the other`);
log(`overload: best rate first (${BEST_CONNECTIONS} connections, closed loop, ${SECONDS}s)`);
// The best rate is the node's without shedding: a shedder cannot lower the bar it is judged by.
const best = await scenario({ SHED_MAX_WRITES: "0", SHED_MAX_READS: "0" }, cpu, (url, next) => closedLoop({ url, connections: BEST_CONNECTIONS, seconds: SECONDS, next }));
const bestRate = best.goodput / best.seconds;
const offered = Math.round(bestRate * FACTOR);
log(`best: ${bestRate.toFixed(0)} holds/s; offering ${offered}/s (${FACTOR}x) open loop, with shedding, then without`);
// BENCH_SHED_MAX_WRITES tries another bound than the default.
const bound = process.env.BENCH_SHED_MAX_WRITES;
// A fixed population of connections, as wrk2 keeps: a generator that opens more whenever all are
// busy turns a spike into thousands of handshakes, which a saturated node accepts one per poll of
// its listening socket (libuv), so the run would measure its accept queue, not its answers.
// BENCH_MAX_CONNECTIONS above 1,024 lets the generator open more when all are busy, to see that.
const CONNECTIONS = 1_024;
const MAX_CONNECTIONS = Number(process.env.BENCH_MAX_CONNECTIONS ?? CONNECTIONS);
const offer = (url: string, next: () => Buffer) => openLoop({ url, rate: offered, seconds: SECONDS, next, warmConnections: CONNECTIONS, maxConnections: MAX_CONNECTIONS, warmRequest: rawRequest("GET", "/api/health", {}) });
const shedding = await scenario(bound ? { SHED_MAX_WRITES: bound } : {}, cpu, offer);
const unbounded = await scenario({ SHED_MAX_WRITES: "0", SHED_MAX_READS: "0" }, cpu, offer);
log("refusal cost: every write refused by the gateway's load shedding on a bare node:http server, 64 connections");
const aHold = rawRequest("POST", "/api/shows/show_0001/holds", { authorization: `Bearer ${"t".repeat(180)}` }, JSON.stringify({ seats: ["show_0001:F12"] }));
const refusal = await refusalCost(cpu, () => aHold);

const bestP99 = percentile(best.served, 0.99);
const ms = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(0));
const row = (name: string, o: Outcome) => {
  const goodput = o.goodput / o.seconds;
  const answers = o.served.length + o.shed.length + o.other;
  return `| ${name} | ${goodput.toFixed(0)} | ${((goodput / bestRate) * 100).toFixed(0)}% | ${ms(percentile(o.served, 0.5))} | ${ms(percentile(o.served, 0.99))} (${ms(percentile(o.servedOnWire, 0.99))}) | ${(percentile(o.served, 0.99) / bestP99).toFixed(1)}x | ${(o.shed.length / o.seconds).toFixed(0)} | ${ms(percentile(o.shed, 0.5))} | ${ms(percentile(o.shed, 0.99))} (${ms(percentile(o.shedOnWire, 0.99))}) | ${o.other + o.lost + o.noRetryAfter} | ${answers ? ((o.cpuMs * 1000) / answers).toFixed(0) : "-"} | ${ms(percentile(o.waited, 0.99))} | ${o.connections} |`;
};
console.log(`\nholds offered open loop at ${FACTOR}x the best rate (${offered}/s), ${SECONDS}s, node ${process.version}${cpu === undefined ? "" : ", the node pinned to one core"}; best rate ${bestRate.toFixed(0)} holds/s at ${BEST_CONNECTIONS} connections, p99 ${bestP99.toFixed(0)} ms\n`);
console.log("| node | goodput/s | of best | p50 accepted ms | p99 accepted ms (sent to answer) | vs p99 at best | 503/s | 503 p50 ms | 503 p99 ms (sent to answer) | lost, other, 503 without Retry-After | node CPU µs/answer | generator queue p99 ms | connections |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|");
console.log(row("at best rate", best));
console.log(row(`${FACTOR}x, shedding (${bound ? `SHED_MAX_WRITES=${bound}` : "default bounds"})`, shedding));
console.log(row(`${FACTOR}x, no shedding`, unbounded));
console.log("\nthe node's own view (its /metrics after each run; event-loop delay = how late a 10 ms timer fired, over the last 10 s):");
for (const [name, o] of [["at best rate", best], ["shedding", shedding], ["no shedding", unbounded]] as const) {
  const n = (key: string) => o.node[key] ?? NaN;
  console.log(`- ${name}: load generator's own event-loop delay p99 ${ms(o.generatorLagP99Ms)} ms; node: writes accepted ${n('admission_accepted_total{class="write"}')}, shed ${n('admission_shed_total{class="write"}')}; event-loop delay p50 ${ms(n('eventloop_delay{quantile="0.5"}'))} ms, p99 ${ms(n('eventloop_delay{quantile="0.99"}'))} ms, max ${ms(n('eventloop_delay{quantile="1"}'))} ms`);
}

// One core's budget at FACTOR x: G holds at h us each plus (offered - G) refusals at r us each
// fit in 1 s per second, so G <= (1 - offered r) / (h - r), whatever decides which to refuse.
const holdUs = (best.cpuMs * 1000) / (best.served.length + best.shed.length + best.other);
const ceilingFor = (refusalUs: number) => (1 - offered * refusalUs * 1e-6) / ((holdUs - refusalUs) * 1e-6);
const ceiling = ceilingFor(refusal.us);
console.log(`\nwhere the time goes: at its best the node spends ${holdUs.toFixed(0)} µs of CPU per hold (${((bestRate * holdUs) / 1e4).toFixed(0)}% of its core at ${bestRate.toFixed(0)}/s); a refusal costs ${refusal.us.toFixed(1)} µs, ${refusal.kernelUs.toFixed(1)} µs of it in the kernel (${refusal.perSecond.toFixed(0)} refusals/s on the core alone). Offered ${offered}/s, refusing the rest leaves room for at most ${ceiling.toFixed(0)} holds/s = ${((ceiling / bestRate) * 100).toFixed(0)}% of the best rate on one core, whatever decides which to refuse; a refusal costing its kernel time alone would leave ${((ceilingFor(refusal.kernelUs) / bestRate) * 100).toFixed(0)}%.`);
