// `node bench/hold-stages.ts` (in `npm run bench`): where a hold's time goes over HTTP. Three
// nodes run side by side, the same in front of the stage where each stops (bench/stage-server.ts):
//   gateway  the gateway alone: route, authentication, body parsing, a stand-in answering at once;
//   admin    + the admin component (on-sale check, idempotency, its call to the show actor, which a
//            stand-in answers without deciding or pricing anything);
//   actor    + the show actor: the full path (price, decide, store, the 201 with its quote).
// Each round measures, on every node in turn, the no-op baseline (GET /api/health) and hold +
// release cycles, the same pinned, alternating way as bench/run.ts; each figure is the median of
// the rounds with its spread.
import { CONNECTIONS, log, medianOf, pct, prepare, ROUND_SECONDS, ROUNDS, spread, type Run } from "./measure.ts";
import { pinLoadGenerator, startServerProcess, type RunningServer } from "./server.ts";

const serverCpu = pinLoadGenerator();
log(serverCpu === undefined ? "cores: not pinned (one core, or no taskset)" : `cores: servers on core ${serverCpu}, the load generator on the other`);
// Capacity, not overload: a saturated node would shed part of the load (bench/overload.ts measures that).
const env = { SCRYPT_N: "1024", LOGIN_MAX_PER_ADDRESS: "100000", SIGNUP_MAX_PER_ADDRESS: "100000", SHED_MAX_WRITES: "0", SHED_MAX_READS: "0" };

const started: RunningServer[] = [];
const start = async (extra: Record<string, string>, script?: string) => {
  const server = await startServerProcess({ ...env, ...extra }, serverCpu, script);
  started.push(server);
  return server;
};
try {
  const full = await start({});
  const stages = [
    { name: "gateway", what: "gateway alone (a stand-in answers the hold at once)", server: await start({ BENCH_STAGE: "gateway" }, "bench/stage-server.ts") },
    { name: "admin", what: "+ admin component (a stand-in show actor answers)", server: await start({ BENCH_STAGE: "admin" }, "bench/stage-server.ts") },
    { name: "actor", what: "+ show actor: the full path", server: full },
  ];
  // Every node reads the shows and their seats from the full one, the only one that can show them.
  const prepared = [];
  for (const stage of stages) {
    log(`${stage.name}: ${stage.what}`);
    prepared.push(await prepare(stage.server.url, stage.server.child.pid!, full.url));
  }
  const rounds: { baseline: Run; holds: Run }[][] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}: on each node, GET /api/health then POST + DELETE holds, ${ROUND_SECONDS}s each, ${CONNECTIONS} connections`);
    const each = [];
    for (const p of prepared) each.push({ baseline: await p.baselineRun(), holds: await p.holdsRun() });
    rounds.push(each);
  }

  const us = (x: number) => `${x.toFixed(0)} µs`;
  const times = (x: number) => `${x.toFixed(2)}x`;
  const figure = (xs: number[], f: (x: number) => string) => `${f(medianOf(xs))} (${spread(xs, f)})`;
  const cpu = (r: Run) => r.serverCpuUs ?? NaN;
  console.log(`\nnode ${process.version}, ${ROUNDS} alternating rounds of ${ROUND_SECONDS}s per scenario and node, ${CONNECTIONS} connections${serverCpu === undefined ? ", cores not pinned" : ", servers on one core, the load generator on the other"}; median (spread) of the rounds\n`);
  console.log("| stage | hold + release vs no-op, requests/s | server CPU µs per hold/release request | vs a no-op request | added by the stage | no-op µs |\n|---|---|---|---|---|---|");
  stages.forEach((stage, i) => {
    const ratio = rounds.map((r) => r[i]!.holds.requests.average / r[i]!.baseline.requests.average);
    const holdUs = rounds.map((r) => cpu(r[i]!.holds));
    const cpuRatio = rounds.map((r) => cpu(r[i]!.holds) / cpu(r[i]!.baseline));
    const added = i === 0 ? rounds.map((r) => cpu(r[0]!.holds) - cpu(r[0]!.baseline)) : rounds.map((r) => cpu(r[i]!.holds) - cpu(r[i - 1]!.holds));
    const noop = rounds.map((r) => cpu(r[i]!.baseline));
    console.log(`| ${stage.what} | ${figure(ratio, pct)} | ${figure(holdUs, us)} | ${figure(cpuRatio, times)} | ${figure(added, us)}${i === 0 ? " over a no-op" : ""} | ${figure(noop, us)} |`);
  });
} finally {
  await Promise.all(started.map((server) => server.stop()));
}
