// What the HTTP benchmarks share: one load round with the server's and the load generator's CPU
// per request, customers and shows to hold on, the hold + release and no-op scenarios, and the
// median-with-spread arithmetic every ratio is reported with.
import autocannon from "autocannon";
import { call, register } from "./client.ts";
import { cpuMsOf } from "./server.ts";

export const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
export const ROUND_SECONDS = Math.max(2, Math.round(DURATION / 2));
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

type Json = any;
export const log = (message: string) => process.stderr.write(`${message}\n`);


export type Run = autocannon.Result & { serverCpuUs?: number; clientCpuUs: number };

/**
 * One load round. Besides throughput it notes the server's CPU time per request: the load
 * generator shares the machine, and CPU per request says what a request costs the server
 * whatever the generator managed to send.
 */
export async function run(opts: autocannon.Options, serverPid: number): Promise<Run> {
  const before = cpuMsOf(serverPid);
  const client = process.cpuUsage();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (err, r) => (err ? reject(err) : resolve(r)));
    autocannon.track(instance, { renderProgressBar: true, renderResultsTable: false, renderLatencyTable: false });
  });
  const after = cpuMsOf(serverPid);
  const used = process.cpuUsage(client);
  // The load generator shares the machine's cores with the server: what it spends per request is what the server cannot.
  const clientCpuUs = result.requests.total ? (used.user + used.system) / result.requests.total : 0;
  return { ...result, clientCpuUs, ...(before !== undefined && after !== undefined && result.requests.total ? { serverCpuUs: ((after - before) * 1000) / result.requests.total } : {}) };
}

/**
 * Users, shows and seats on one server, and the two load scenarios against it. `source`: the
 * server to read the shows and their free seats from, when this one cannot show them (a staged
 * server whose hold path stops early).
 */
export async function prepare(url: string, serverPid: number, source = url) {
  const tokens = await register(url, CONNECTIONS, "load");
  const shows: Json[] = (await call(source, "GET", "/api/shows")).body.filter((s: Json) => Date.parse(s.startsAt) > Date.now() + 3 * 3600_000);
  const seatsByShow = new Map<string, string[]>();
  for (const show of shows) {
    const details = (await call(source, "GET", `/api/shows/${show.id}`)).body;
    seatsByShow.set(show.id, details.seats.filter((s: Json) => s.status === "available").map((s: Json) => s.id));
  }
  const showIds = [...seatsByShow.keys()];
  log(`  ${showIds.length} shows, ${[...seatsByShow.values()].reduce((n, s) => n + s.length, 0)} seats`);
  let next = 0;
  const setupClient = (client: Json) => client.setHeaders({ authorization: `Bearer ${tokens[next++ % tokens.length]}`, "content-type": "application/json" });
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;

  const baselineRun = () => run({ url, connections: CONNECTIONS, duration: ROUND_SECONDS, setupClient, requests: [{ method: "GET", path: "/api/health" }] }, serverPid);
  const holdsRun = () => run({
    url, connections: CONNECTIONS, duration: ROUND_SECONDS, setupClient,
    requests: [
      {
        method: "POST",
        setupRequest: (req: Json, context: Json) => {
          const showId = pick(showIds);
          context.showId = showId;
          return { ...req, path: `/api/shows/${showId}/holds`, body: JSON.stringify({ seats: [pick(seatsByShow.get(showId)!)] }) };
        },
        onResponse: (status: number, body: string, context: Json) => { context.holdId = status === 201 ? JSON.parse(body).id : "none"; },
      },
      { method: "DELETE", setupRequest: (req: Json, context: Json) => ({ ...req, path: `/api/holds/${context.holdId}` }) },
    ],
  }, serverPid);
  return { showIds, baselineRun, holdsRun };
}

export const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
export const spread = (xs: number[], f: (x: number) => string) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
