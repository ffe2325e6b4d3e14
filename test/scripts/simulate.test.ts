import test, { type ExecutionContext } from "ava";
import { startServer, type Client } from "../helpers/http.ts";
import { formatSummary, mulberry32, simulate, STEPS, violated, type SimulationSummary } from "../../scripts/simulate.ts";

type Json = any;

/** Some future shows (well clear of their start) with their seat counts, smallest first. */
async function futureShows(api: Client): Promise<{ id: string; seats: number }[]> {
  const listed = await api.request("GET", "/api/shows");
  const soon = Date.now() + 60 * 60_000;
  const ids: string[] = listed.body.filter((s: Json) => Date.parse(s.startsAt) > soon).map((s: Json) => s.id);
  const shows = await Promise.all(ids.slice(0, 12).map(async (id) => ({ id, seats: (await api.request("GET", `/api/shows/${id}`)).body.seats.length as number })));
  return shows.sort((a, b) => a.seats - b.seats || a.id.localeCompare(b.id));
}

async function seatMap(api: Client, showId: string): Promise<Map<string, string>> {
  const res = await api.request("GET", `/api/shows/${showId}`);
  return new Map(res.body.seats.map((s: Json) => [s.id, s.status]));
}

const count = (map: Map<string, string>, status: string) => [...map.values()].filter((s) => s === status).length;

function assertConsistent(t: ExecutionContext, s: SimulationSummary) {
  const problems = JSON.stringify(s.verification.problems);
  t.deepEqual(s.otherErrors, {}, problems);
  t.is(s.wins + s.conflicts, s.attempts - s.holdErrors, "every hold attempt is a win or a conflict");
  t.is(s.doubleBookings, 0, problems);
  t.is(s.verification.seatsNotBooked, 0, problems);
  t.is(s.verification.missingBookings, 0, problems);
  t.deepEqual(s.verification.history, [], "the history checker ran over the ledger and found every charge confirmed or refunded");
  t.false(violated(s));
  t.is(s.verification.bookingsChecked, s.bookingsConfirmed);
  t.is(s.customers.held, s.wins, "a customer wins at most once");
  t.is(s.bookingsConfirmed + s.paymentsFailed + s.abandoned.released + s.abandoned.expired, s.wins, "every winner paid or abandoned");
  t.is(s.customers.held + s.customers.soldOut + s.customers.gaveUp + s.customers.failed, s.users);
  for (const step of STEPS) {
    const l = s.latency[step];
    for (const value of [l.count, l.p50, l.p99, l.max, l.mean]) t.true(typeof value === "number" && Number.isFinite(value), `${step} latency is a number`);
    t.true(l.p50 <= l.p99 && l.p99 <= l.max, `${step}: p50 <= p99 <= max`);
  }
  for (const step of ["register", "browse", "hold"] as const) t.true(s.latency[step].count > 0, `${step} was measured`);
}

test("a crowd books a show without selling any seat twice", async (t) => {
  const api = await startServer(t);
  const shows = await futureShows(api);
  const showId = shows.at(-1)!.id; // the biggest: plenty of seats for 60 customers
  const phases = new Set<string>();
  const summary = await simulate({ url: api.url, users: 60, showId, thinkMs: 20, seed: 1, onProgress: (p) => phases.add(p.phase) });
  t.log(formatSummary(summary));
  assertConsistent(t, summary);
  t.deepEqual(summary.showIds, [showId]);
  t.is(summary.latency.register.count, 60);
  t.true(summary.wins > 0);
  t.true(summary.bookingsConfirmed > 0);
  t.deepEqual([...phases].sort(), ["register", "shop", "verify"]);
  // Only the simulation used this show: its booked seats are exactly the confirmed ones.
  const map = await seatMap(api, showId);
  t.is(count(map, "booked"), summary.seatsConfirmed);
  t.deepEqual(summary.occupancy, [{ showId, seats: map.size, available: count(map, "available"), held: count(map, "held"), booked: count(map, "booked") }]);
  t.regex(formatSummary(summary), /double bookings\s+0 {2}ok/);
});

test("two crowds racing for a small show still never double-book", async (t) => {
  const api = await startServer(t);
  const [smallest] = await futureShows(api);
  const showId = smallest!.id;
  const users = Math.ceil(smallest!.seats * 0.6); // two crowds of 1-3 seats each: far more demand than seats
  // Both crowds start shopping at the same moment, once both have registered.
  let arrived = 0;
  let go!: () => void;
  const bothRegistered = new Promise<void>((resolve) => { go = resolve; });
  const beforeShop = () => { if (++arrived === 2) go(); return bothRegistered; };
  const [a, b] = await Promise.all([
    simulate({ url: api.url, users, showId, thinkMs: 20, payRatio: 0.8, seed: 1, beforeShop }),
    simulate({ url: api.url, users, showId, thinkMs: 20, payRatio: 0.8, seed: 2, beforeShop }),
  ]);
  t.log(formatSummary(a));
  t.log(formatSummary(b));
  assertConsistent(t, a);
  assertConsistent(t, b);
  t.true(a.conflicts > 0 && b.conflicts > 0, "the crowds collided");
  t.true(a.wins > 0 && b.wins > 0, "both crowds won some seats");
  t.true(a.bookingsConfirmed + b.bookingsConfirmed > 0);
  // Each run only checks its own customers; across runs, every confirmed seat must be a distinct booked seat.
  const map = await seatMap(api, showId);
  t.is(count(map, "booked"), a.seatsConfirmed + b.seatsConfirmed);
  t.true(a.seatsConfirmed + b.seatsConfirmed <= smallest!.seats);
});

test("the seeded generator repeats itself", (t) => {
  const draw = (seed: number) => { const r = mulberry32(seed); return Array.from({ length: 5 }, r); };
  t.deepEqual(draw(42), draw(42));
  t.notDeepEqual(draw(42), draw(43));
  t.true(draw(7).every((x) => x >= 0 && x < 1));
});
