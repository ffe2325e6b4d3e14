// `node bench/hold-path.ts`: what a hold + release costs inside one process, with no HTTP, so
// the gateway benchmark's gap to its no-op baseline can be split into our work and the rest.
// Three scenarios alternate over the same broker and shows, 50 callers at a time:
//   - a no-op action call (the floor of any Moleculer call),
//   - show.hold + show.release straight to the show actors (the actor's own part: it quotes,
//     decides and stores),
//   - admin.hold + admin.releaseHold, the workflow the gateway calls (on-sale check, then the actor).
import type { ServiceBroker } from "moleculer";
import { startMarquee } from "../app.ts";
import { readConfig } from "../moleculer.config.ts";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 4000);
const CALLERS = 50;
const log = (message: string) => process.stderr.write(`${message}\n`);

const marquee = await startMarquee(readConfig({ LOG_LEVEL: "warn", SERVICES: "admin,show,catalog,pricing,payment,auth", SCRYPT_N: "1024" }));
const broker: ServiceBroker = marquee.broker;
try {
  await broker.createService({ name: "bench", actions: { noop: { params: { showId: "string" }, handler: () => null } } });
  const admin = { caller: { id: "bench-admin", role: "admin", email: "bench@marquee.local", name: "Bench" } };
  const shows = ((await broker.call("catalog.listShows", {})) as { id: string; startsAt: string }[])
    .filter((s) => Date.parse(s.startsAt) > Date.now() + 3 * 3_600_000);
  const seatsByShow = new Map<string, string[]>();
  for (const show of shows) {
    const details = (await broker.call("admin.showDetails", { showId: show.id }, { meta: admin })) as { seats: { id: string; status: string }[] };
    seatsByShow.set(show.id, details.seats.filter((s) => s.status === "available").map((s) => s.id));
  }
  const showIds = [...seatsByShow.keys()];
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;

  type Cycle = (caller: number, n: number) => Promise<void>;
  const scenarios: Record<string, Cycle> = {
    "no-op action call": async () => { await broker.call("bench.noop", { showId: pick(showIds) }); },
    "show.hold + show.release (the actor)": async (caller, n) => {
      const showId = pick(showIds);
      const holdId = `bench-${caller}-${n}-${Date.now()}`;
      const userId = `bench-user-${caller}`;
      try {
        await broker.call("show.hold", { showId, holdId, userId, seats: [pick(seatsByShow.get(showId)!)] });
        await broker.call("show.release", { showId, holdId, userId });
      } catch (error) {
        if ((error as { code?: number }).code !== 409) throw error;
      }
    },
    "admin.hold + admin.releaseHold (the workflow)": async (caller) => {
      const meta = { caller: { id: `bench-user-${caller}`, role: "customer", email: `bench-${caller}@marquee.local`, name: "Bench" } };
      const showId = pick(showIds);
      try {
        const hold = (await broker.call("admin.hold", { showId, seats: [pick(seatsByShow.get(showId)!)] }, { meta: { ...meta } })) as { id: string };
        await broker.call("admin.releaseHold", { holdId: hold.id }, { meta: { ...meta } });
      } catch (error) {
        if ((error as { code?: number }).code !== 409) throw error;
      }
    },
  };

  const runOnce = async (cycle: Cycle): Promise<number> => {
    const started = performance.now();
    await Promise.all(Array.from({ length: CALLERS }, async (_, caller) => {
      for (let n = 0; n < CYCLES / CALLERS; n++) await cycle(caller, n);
    }));
    return ((performance.now() - started) * 1000) / CYCLES;
  };

  const names = Object.keys(scenarios);
  for (const name of names) await runOnce(scenarios[name]!); // warm up: JIT, actors activated
  const samples = new Map(names.map((n) => [n, [] as number[]]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of names) samples.get(name)!.push(await runOnce(scenarios[name]!));
    log(`round ${round}/${ROUNDS}: ${names.map((n) => `${n} ${samples.get(n)!.at(-1)!.toFixed(1)} µs`).join(", ")}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const floor = median(samples.get(names[0]!)!);
  console.log(`\nin process, ${showIds.length} shows, ${CALLERS} concurrent callers, median of ${ROUNDS} rounds of ${CYCLES} cycles (node ${process.version})\n`);
  console.log("| scenario | µs per cycle | × a no-op call |\n|---|---|---|");
  for (const name of names) {
    const us = median(samples.get(name)!);
    console.log(`| ${name} | ${us.toFixed(1)} | ${(us / floor).toFixed(1)} |`);
  }
} finally {
  await marquee.stop();
}
