// `node bench/overload.ts` (part of `npm run bench`): what a node does when offered far more
// holds than it can serve. First its best rate (closed loop, few connections, nothing shed);
// then holds offered at 5x that rate, to a node with load shedding (the default bounds) and to
// one without (SHED_MAX_WRITES=0), in the same run. Reported per node: goodput (answers that
// did the work: 201 held, 409 taken) against the best rate, p99 of those against their p99 at
// the best rate, and how fast the 503s came back.
import autocannon from "autocannon";
import { call, register } from "./client.ts";
import { startServerProcess, type RunningServer } from "./server.ts";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FACTOR = Number(process.env.BENCH_OVERLOAD ?? 5);
const BEST_CONNECTIONS = 16;
const OVERLOAD_CONNECTIONS = Number(process.env.BENCH_OVERLOAD_CONNECTIONS ?? 1000);
const USERS = 200;

type Json = any;
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Outcome { seconds: number; served: number[]; shed: number[]; other: number; errors: number; timeouts: number }

const percentile = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]! : NaN);

/**
 * Holds of one random seat on a random show, one customer per connection: a new hold replaces
 * the customer's previous one on that show, so seats keep coming back and the load is steady.
 */
async function holds(server: RunningServer, connections: number, overallRate?: number): Promise<Outcome> {
  const tokens = await register(server.url, USERS, "overload");
  const shows: Json[] = (await call(server.url, "GET", "/api/shows")).body.filter((s: Json) => Date.parse(s.startsAt) > Date.now() + 3 * 3600_000);
  const seats = new Map<string, string[]>();
  for (const show of shows) seats.set(show.id, (await call(server.url, "GET", `/api/shows/${show.id}`)).body.seats.filter((s: Json) => s.status === "available").map((s: Json) => s.id));
  const showIds = [...seats.keys()];
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  let next = 0;
  const outcome: Outcome = { seconds: SECONDS, served: [], shed: [], other: 0, errors: 0, timeouts: 0 };
  let finish!: (result: autocannon.Result) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<autocannon.Result>((resolve, reject) => { finish = resolve; fail = reject; });
  const instance = autocannon({
    url: server.url, connections, duration: SECONDS, timeout: 10, ...(overallRate ? { overallRate } : {}),
    setupClient: (client: Json) => client.setHeaders({ authorization: `Bearer ${tokens[next++ % tokens.length]}`, "content-type": "application/json" }),
    requests: [{
      method: "POST",
      setupRequest: (req: Json) => {
        const showId = pick(showIds);
        return { ...req, path: `/api/shows/${showId}/holds`, body: JSON.stringify({ seats: [pick(seats.get(showId)!)] }) };
      },
    }],
  }, (error, result) => (error ? fail(error) : finish(result)));
  instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === 201 || status === 409) outcome.served.push(ms);
    else if (status === 503) outcome.shed.push(ms);
    else outcome.other += 1;
  });
  const result = await done;
  outcome.errors = result.errors;
  outcome.timeouts = result.timeouts;
  return outcome;
}

async function scenario(env: Record<string, string>, run: (server: RunningServer) => Promise<Outcome>): Promise<Outcome> {
  const server = await startServerProcess({ SCRYPT_N: "1024", LOGIN_MAX_PER_ADDRESS: "100000", ...env });
  try {
    return await run(server);
  } finally {
    await server.stop();
  }
}

log(`overload: best rate first (${BEST_CONNECTIONS} connections, ${SECONDS}s)`);
const best = await scenario({}, (s) => holds(s, BEST_CONNECTIONS));
const bestRate = best.served.length / best.seconds;
const offered = Math.round(bestRate * FACTOR);
log(`best: ${bestRate.toFixed(0)} holds/s; offering ${offered}/s (${FACTOR}x) over ${OVERLOAD_CONNECTIONS} connections, with shedding, then without`);
// BENCH_SHED_MAX_WRITES tries another bound than the default.
const bound = process.env.BENCH_SHED_MAX_WRITES;
const shedding = await scenario(bound ? { SHED_MAX_WRITES: bound } : {}, (s) => holds(s, OVERLOAD_CONNECTIONS, offered));
const unbounded = await scenario({ SHED_MAX_WRITES: "0", SHED_MAX_READS: "0" }, (s) => holds(s, OVERLOAD_CONNECTIONS, offered));

const bestP99 = percentile(best.served, 0.99);
const row = (name: string, o: Outcome) => {
  const goodput = o.served.length / o.seconds;
  return `| ${name} | ${goodput.toFixed(0)} | ${((goodput / bestRate) * 100).toFixed(0)}% | ${percentile(o.served, 0.99).toFixed(0)} | ${(percentile(o.served, 0.99) / bestP99).toFixed(1)}x | ${(o.shed.length / o.seconds).toFixed(0)} | ${o.shed.length ? percentile(o.shed, 0.99).toFixed(0) : "-"} | ${o.shed.length ? Math.max(...o.shed).toFixed(0) : "-"} | ${o.other + o.errors + o.timeouts} |`;
};
console.log(`\nholds offered at ${FACTOR}x the best rate (${offered}/s), ${SECONDS}s, node ${process.version}; best rate ${bestRate.toFixed(0)} holds/s at ${BEST_CONNECTIONS} connections, p99 ${bestP99.toFixed(0)} ms\n`);
console.log("| node | goodput/s | of best | p99 accepted ms | vs p99 at best | 503/s | 503 p99 ms | 503 max ms | errors, timeouts, other |\n|---|---|---|---|---|---|---|---|---|");
console.log(row("at best rate", best));
console.log(row(`${FACTOR}x, shedding (${bound ? `SHED_MAX_WRITES=${bound}` : "default bounds"})`, shedding));
console.log(row(`${FACTOR}x, no shedding`, unbounded));
