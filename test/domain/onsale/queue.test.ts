import test from "ava";
import { planOnSale, type OnSale } from "../../../domain/onsale/onsale.ts";
import { admit, initialAdmissions, joinScore, OPENING_SETTLE_MS, positionOf, type Admissions, type SeatsLeft } from "../../../domain/onsale/queue.ts";
import { MemoryStore } from "../../../infra/memory-store.ts";
import { mulberry32 } from "../../../domain/random.ts";

const opensAt = Date.parse("2026-12-01T10:00:00Z");
const open = opensAt + OPENING_SETTLE_MS;

function onsale(overrides: Partial<OnSale> = {}): OnSale {
  return { id: "ons_1", showIds: ["s1"], opensAt, rate: { mode: "fixed", perMinute: 60 }, windowMs: 600_000, maxPerAccount: 4, createdAt: opensAt - 3_600_000, createdBy: "admin", endsAt: opensAt + 86_400_000, ...overrides };
}
const seats = (available: number, held = 0, booked = 0, bookings = 0): SeatsLeft => ({ available, held, booked, bookings });

/** Ticks once a second from `from` for `seconds`, with a fixed queue and seats. */
function run(sale: OnSale, from: Admissions, start: number, seconds: number, queueLength: number, left: SeatsLeft): Admissions {
  let state = from;
  for (let i = 0; i < seconds; i++) state = admit(state, sale, { now: start + i * 1000, queueLength, seats: left, holders: 0 });
  return state;
}

test("at the opening every customer of the pre-queue has a uniformly random place (chi-square over arrival decile x place decile, 10,000 customers, seed 42, below 124: p = 0.001 at 81 degrees of freedom)", async (t) => {
  const sale = onsale();
  const store = new MemoryStore();
  const draw = mulberry32(42);
  const n = 10_000;
  // Arrival i joins i * 0.3 s before the opening, so arrival order and join time agree.
  for (let i = 0; i < n; i++) await store.addRanked("q", `c${i}`, joinScore(sale, opensAt - (n - i) * 300, draw()));
  const table = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  for (let i = 0; i < n; i++) {
    const { rank } = (await store.rankOf("q", `c${i}`))!;
    table[Math.floor((i * 10) / n)]![Math.floor((rank * 10) / n)]! += 1;
  }
  const expected = n / 100;
  const chiSquare = table.flat().reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
  t.log(`chi-square ${chiSquare.toFixed(1)}`);
  t.true(chiSquare < 124, `arrival time and place are independent (chi-square ${chiSquare.toFixed(1)})`);
  // The first tenth to arrive is spread over every tenth of the queue, not bunched at the front.
  t.true(table[0]!.every((cell) => cell > expected * 0.6));
});

test("customers who arrive after the opening join behind the pre-queue in arrival order", (t) => {
  const sale = onsale();
  const draw = mulberry32(7);
  const early = Array.from({ length: 50 }, (_, i) => joinScore(sale, opensAt - i * 1000, draw()));
  const late = [5, 6_000, 90_000].map((ms) => joinScore(sale, opensAt + ms, draw()));
  t.true(Math.max(...early) < Math.min(...late));
  t.deepEqual([...late].sort((a, b) => a - b), late);
});

test("before the opening customers wait in the pre-queue without a place; nobody is let in", (t) => {
  const sale = onsale();
  const state = admit(initialAdmissions("ons_1"), sale, { now: opensAt - 1, queueLength: 500, seats: seats(100), holders: 0 });
  t.is(state.status, "scheduled");
  t.is(state.admitted, 0);
  t.deepEqual(positionOf(sale, state, 3, opensAt - 1), { status: "prequeue" });
  t.deepEqual(positionOf(sale, state, undefined, opensAt - 1), { status: "not_in_queue" });
});

test("a fixed rate lets customers in at that rate, and the front of the queue first", (t) => {
  const sale = onsale({ rate: { mode: "fixed", perMinute: 120 } });
  const state = run(sale, initialAdmissions("ons_1"), open, 30, 1_000, seats(400));
  t.true(state.admitted >= 58 && state.admitted <= 60, `two a second for 30 s: ${state.admitted}`);
  const first = positionOf(sale, state, 0, open + 30_000);
  t.is(first.status, "admitted");
  const next = positionOf(sale, state, state.admitted, open + 30_000);
  t.like(next, { status: "waiting", place: state.admitted + 1, ahead: 0 });
  const later = positionOf(sale, state, state.admitted + 119, open + 30_000);
  t.like(later, { status: "waiting", ahead: 119 });
  if (later.status === "waiting") t.true(later.estimatedWaitSeconds! >= 50 && later.estimatedWaitSeconds! <= 70, `120 ahead at 2/s: ${later.estimatedWaitSeconds}`);
});

test("automatic admission never lets in more customers than the free seats can plausibly serve", (t) => {
  const sale = onsale({ rate: { mode: "automatic" } });
  const state = admit(initialAdmissions("ons_1"), sale, { now: open, queueLength: 10_000, seats: seats(400), holders: 0 });
  t.is(state.admitted, 200, "400 seats at 2 a customer");
  const again = admit(state, sale, { now: open + 1_000, queueLength: 10_000, seats: seats(400), holders: 0 });
  t.is(again.admitted, 200, "those let in who have not tried to hold yet may still be picking: nobody more");
  const half = admit(again, sale, { now: open + 2_000, queueLength: 10_000, seats: seats(250, 150), holders: 100 });
  t.is(half.admitted, 225, "the 100 still picking may take 200 of the 250 free seats: the other 50 serve 25 more");
  const held = admit(half, sale, { now: open + 3_000, queueLength: 10_000, seats: seats(50, 350), holders: 225 });
  t.is(held.admitted, 250, "once all have held, the 50 seats nobody holds serve 25 more");
});

test("automatic admission lets someone in for the last seat even when customers take more than one", (t) => {
  const sale = onsale({ rate: { mode: "automatic" } });
  const state = admit(initialAdmissions("ons_1"), sale, { now: open, queueLength: 10_000, seats: seats(1, 0, 399, 160), holders: 0 });
  t.is(state.admitted, 1);
});

test("with automatic admission the estimate follows the pace since the opening", (t) => {
  const sale = onsale({ rate: { mode: "automatic" } });
  const first = admit(initialAdmissions("ons_1"), sale, { now: open, queueLength: 10_000, seats: seats(400), holders: 0 });
  const minuteOn = admit(first, sale, { now: open + 60_000, queueLength: 10_000, seats: seats(200, 100, 100, 10), holders: 200 });
  t.is(minuteOn.admitted, 300, "100 more once the first have held");
  t.like(positionOf(sale, minuteOn, 599, open + 60_000), { status: "waiting", ahead: 299, estimatedWaitSeconds: 60 }, "300 let in over the first minute: 300 ahead is about a minute");
});

test("automatic admission learns how many seats a customer takes from the bookings", (t) => {
  const sale = onsale({ rate: { mode: "automatic" } });
  const state = admit(initialAdmissions("ons_1"), sale, { now: open, queueLength: 10_000, seats: seats(400, 0, 400, 100), holders: 0 });
  t.is(state.admitted, 100, "4 seats a booking");
});

test("when every seat is booked everyone still waiting is told it is sold out at once", (t) => {
  const sale = onsale();
  const state = run(sale, initialAdmissions("ons_1"), open, 5, 1_000, seats(10));
  const sold = admit(state, sale, { now: open + 5_000, queueLength: 1_000, seats: seats(0, 0, 400), holders: 0 });
  t.is(sold.status, "sold_out");
  t.deepEqual(positionOf(sale, sold, 999, open + 5_000), { status: "sold_out", place: 1_000 });
  t.deepEqual(positionOf(sale, sold, sold.admitted, open + 5_000), { status: "sold_out", place: sold.admitted + 1 });
});

test("while every free seat is held admission pauses without an estimate, and when holds lapse it resumes", (t) => {
  const sale = onsale();
  const state = run(sale, initialAdmissions("ons_1"), open, 5, 1_000, seats(10));
  const paused = run(sale, state, open + 5_000, 10, 1_000, seats(0, 40));
  t.is(paused.status, "paused");
  t.is(paused.admitted, state.admitted, "nobody let in while no seat is free");
  t.like(positionOf(sale, paused, 500, open + 15_000), { status: "waiting", estimatedWaitSeconds: null });
  const resumed = run(sale, paused, open + 15_000, 5, 1_000, seats(40));
  t.is(resumed.status, "open");
  t.true(resumed.admitted > paused.admitted);
});

test("a customer let in has the on-sale's window to hold; then their turn lapses", (t) => {
  const sale = onsale({ windowMs: 60_000 });
  const state = run(sale, initialAdmissions("ons_1"), open, 3, 1_000, seats(100));
  const mine = positionOf(sale, state, 0, open + 3_000);
  t.deepEqual(mine, { status: "admitted", place: 1, passExpiresAt: open + 60_000 });
  t.deepEqual(positionOf(sale, state, 0, open + 60_000), { status: "lapsed", place: 1 }, "even before the next tick says so");
  const later = run(sale, state, open + 61_000, 1, 1_000, seats(100));
  t.true(later.lapsedUpTo >= 1);
  t.deepEqual(positionOf(sale, later, 0, open + 61_000), { status: "lapsed", place: 1 });
});

test("after a long gap between ticks (a new owner took over) no burst is let in", (t) => {
  const sale = onsale({ rate: { mode: "fixed", perMinute: 600 } });
  const state = run(sale, initialAdmissions("ons_1"), open, 2, 10_000, seats(400));
  const after = admit(state, sale, { now: open + 120_000, queueLength: 10_000, seats: seats(400), holders: 0 });
  t.true(after.admitted - state.admitted <= 50, `at most 5 s worth: ${after.admitted - state.admitted}`);
});

test("the admission state stays a few KiB however many are let in: one batch per 10 s of the window", (t) => {
  const sale = onsale({ rate: { mode: "fixed", perMinute: 6_000 } });
  const state = run(sale, initialAdmissions("ons_1"), open, 600, 1_000_000, seats(100_000));
  t.true(state.admitted > 50_000);
  t.true(state.batches.length <= 61);
  t.true(JSON.stringify(state).length < 4_096, `${JSON.stringify(state).length} bytes`);
});

test("scheduling an on-sale checks every field", (t) => {
  const now = opensAt - 3_600_000;
  const good = { shows: ["s1", "s1", "s2"], opensAt: new Date(opensAt).toISOString(), admissionRate: "automatic" as const, finishWithinSeconds: 600, maxTicketsPerAccount: 4 };
  const endsAt = opensAt + 86_400_000;
  const planned = planOnSale(good, "ons_1", "admin", now, endsAt);
  t.true(planned.ok);
  if (planned.ok) t.deepEqual(planned.onsale.showIds, ["s1", "s2"]);
  const field = (request: object) => { const r = planOnSale({ ...good, ...request }, "ons_1", "admin", now, endsAt); return r.ok ? undefined : r.rejection.field; };
  t.is(field({ shows: [] }), "shows");
  t.is(field({ opensAt: "tomorrow" }), "opensAt");
  t.is(field({ opensAt: new Date(now - 3_600_000).toISOString() }), "opensAt");
  t.is(field({ admissionRate: 0 }), "admissionRate");
  t.is(field({ admissionRate: "fast" }), "admissionRate");
  t.is(field({ finishWithinSeconds: 5 }), "finishWithinSeconds");
  t.is(field({ maxTicketsPerAccount: 0 }), "maxTicketsPerAccount");
  t.is(field({ closesAt: new Date(opensAt - 1).toISOString() }), "closesAt");
  t.is(field({ opensAt: new Date(endsAt).toISOString() }), "opensAt", "an opening after the shows start");
});
