import test, { type ExecutionContext } from "ava";
import { startServer, type Client } from "../helpers/http.ts";
import { mulberry32 } from "../../domain/random.ts";
import { formatSummary, paymentPlanOf, simulate, STEPS, violated, type SimulationOptions, type SimulationSummary } from "../../scripts/simulate.ts";
import { DEFAULT_CARD_MIX, parseCardMix, planPayment, type CardMix } from "../../scripts/simulate-cards.ts";

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
  t.is(s.bookingsConfirmed + s.paymentsFailed + s.payments.abandoned + s.abandoned.released + s.abandoned.expired, s.wins, "every winner paid or abandoned");
  t.is(s.payments.unsettled, 0, problems);
  t.is(s.payments.confirmed, s.bookingsConfirmed);
  t.is(Object.values(s.payments.declined).reduce((a, b) => a + b, 0), s.paymentsFailed);
  t.is(s.threeDSecure.passed + s.threeDSecure.failed + s.threeDSecure.abandoned, s.threeDSecure.challenges);
  // What customers read of their bookings at the end agrees with what the payments came to.
  const statuses = s.verification.bookingStatuses;
  t.is(statuses.confirmed ?? 0, s.payments.confirmed, "confirmed bookings");
  t.is(statuses.payment_failed ?? 0, s.paymentsFailed, "bookings whose payment failed");
  t.is(statuses.requires_action ?? 0, s.payments.abandoned, "bookings left on an unanswered challenge");
  t.is(s.customers.held + s.customers.soldOut + s.customers.gaveUp + s.customers.failed, s.users);
  for (const step of STEPS) {
    const l = s.latency[step];
    for (const value of [l.count, l.p50, l.p99, l.max, l.mean]) t.true(typeof value === "number" && Number.isFinite(value), `${step} latency is a number`);
    t.true(l.p50 <= l.p99 && l.p99 <= l.max, `${step}: p50 <= p99 <= max`);
  }
  for (const step of ["register", "browse", "hold"] as const) t.true(s.latency[step].count > 0, `${step} was measured`);
}

/**
 * What a run of `users` customers who all hold seats and pay must come to, worked out from each
 * customer's seeded card and challenge answer and from Stripe's documented test-card behaviour.
 */
function expectedPayments(seed: number, users: number, options: Pick<SimulationOptions, "cardMix" | "challengeFail" | "challengeAbandon">) {
  const plans = { mix: options.cardMix ?? DEFAULT_CARD_MIX, challengeFail: options.challengeFail ?? 0.2, challengeAbandon: options.challengeAbandon ?? 0.1 };
  const byCard: Record<string, number> = {};
  const declined: Record<string, number> = {};
  const threeDSecure = { challenges: 0, passed: 0, failed: 0, abandoned: 0 };
  let confirmed = 0;
  const add = (counts: Record<string, number>, key: string) => { counts[key] = (counts[key] ?? 0) + 1; };
  for (let i = 0; i < users; i++) {
    const { card, challenge } = paymentPlanOf(seed, i, plans);
    add(byCard, card);
    if (card === "ok") confirmed++;
    else if (card === "declined") add(declined, "card_declined");
    else if (card === "insufficient") add(declined, "insufficient_funds");
    else {
      threeDSecure.challenges++;
      if (challenge === "abandon") threeDSecure.abandoned++;
      else if (card === "3ds" && challenge === "complete") { threeDSecure.passed++; confirmed++; }
      else { threeDSecure.failed++; add(declined, "payment_intent_authentication_failure"); }
    }
  }
  return { byCard, confirmed, declined, abandoned: threeDSecure.abandoned, threeDSecure };
}

/** For runs where everyone pays (payRatio 1) and wins seats (a big show, maxHoldRetries 10). */
function assertPaidAsPlanned(t: ExecutionContext, s: SimulationSummary, options: Parameters<typeof expectedPayments>[2]) {
  t.is(s.customers.held, s.users, "everyone held seats, so everyone paid");
  const expected = expectedPayments(s.seed, s.users, options);
  t.deepEqual(s.payments.byCard, expected.byCard);
  t.is(s.payments.attempts, s.users);
  t.is(s.payments.confirmed, expected.confirmed);
  t.deepEqual(s.payments.declined, expected.declined);
  t.is(s.payments.abandoned, expected.abandoned);
  t.deepEqual(s.threeDSecure, expected.threeDSecure);
}

test("a crowd pays through the card page and meets 3-D Secure", async (t) => {
  const api = await startServer(t);
  const shows = await futureShows(api);
  const showId = shows.at(-1)!.id;
  const mix: Partial<SimulationOptions> = { cardMix: parseCardMix("ok=3,declined=1,insufficient=1,3ds=4,3ds-fail=1"), challengeFail: 0.25, challengeAbandon: 0.2 };
  const summary = await simulate({ url: api.url, users: 40, showId, thinkMs: 20, payRatio: 1, maxHoldRetries: 10, seed: 11, ...mix });
  t.log(formatSummary(summary));
  assertConsistent(t, summary);
  assertPaidAsPlanned(t, summary, mix);
  t.is(summary.payMode, "hosted");
  t.is(summary.latency.card.count, 40, "every card was made at the processor");
  t.is(summary.latency.challenge.count, summary.threeDSecure.passed + summary.threeDSecure.failed, "every answered challenge was posted");
  // The seed gives every path at least once, so each is exercised.
  const { threeDSecure: tds, payments: { declined } } = summary;
  t.true(tds.passed > 0 && tds.failed > 0 && tds.abandoned > 0, JSON.stringify(tds));
  t.true((declined.card_declined ?? 0) > 0 && (declined.insufficient_funds ?? 0) > 0, JSON.stringify(declined));
  // Seats paid after a challenge are booked like any others; an abandoned challenge's stay held.
  t.is(count(await seatMap(api, showId), "booked"), summary.seatsConfirmed);
  t.regex(formatSummary(summary), new RegExp(`3-D Secure\\s+${tds.challenges} challenges: ${tds.passed} passed, ${tds.failed} failed, ${tds.abandoned} abandoned`));
});

test("a crowd books a show without selling any seat twice", async (t) => {
  const api = await startServer(t);
  const shows = await futureShows(api);
  const showId = shows.at(-1)!.id; // the biggest: plenty of seats for 60 customers
  const phases = new Set<string>();
  // The direct path: Stripe's test PaymentMethod ids, the default card mix.
  const summary = await simulate({ url: api.url, users: 60, showId, thinkMs: 20, payRatio: 1, maxHoldRetries: 10, seed: 1, direct: true, onProgress: (p) => phases.add(p.phase) });
  t.log(formatSummary(summary));
  assertConsistent(t, summary);
  assertPaidAsPlanned(t, summary, {});
  t.is(summary.payMode, "direct");
  t.is(summary.latency.card.count, 0, "no card was made at the processor");
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
    simulate({ url: api.url, users, showId, thinkMs: 20, payRatio: 0.8, seed: 1, paymentMethod: "pm_card_visa", beforeShop }),
    simulate({ url: api.url, users, showId, thinkMs: 20, payRatio: 0.8, seed: 2, paymentMethod: "pm_card_visa", beforeShop }),
  ]);
  for (const s of [a, b]) {
    t.is(s.payMode, "direct", "--payment-method pays directly");
    t.deepEqual(s.payments.byCard, s.payments.attempts ? { pm_card_visa: s.payments.attempts } : {});
    t.is(s.paymentsFailed, 0);
  }
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

test("the card mix weighs cards and challenge answers as asked", (t) => {
  const r = mulberry32(5);
  const counts: Record<string, number> = {};
  const answers: Record<string, number> = {};
  const mix: CardMix = { ok: 6, declined: 0, insufficient: 1, "3ds": 3, "3ds-fail": 0 };
  for (let i = 0; i < 10_000; i++) {
    const plan = planPayment(r, { mix, challengeFail: 0.3, challengeAbandon: 0.1 });
    counts[plan.card] = (counts[plan.card] ?? 0) + 1;
    answers[plan.challenge] = (answers[plan.challenge] ?? 0) + 1;
  }
  t.deepEqual(Object.keys(counts).sort(), ["3ds", "insufficient", "ok"], "a card of weight 0 is never drawn");
  t.true(Math.abs(counts.ok! / 10_000 - 0.6) < 0.03 && Math.abs(counts["3ds"]! / 10_000 - 0.3) < 0.03, JSON.stringify(counts));
  t.true(Math.abs(answers.fail! / 10_000 - 0.3) < 0.03 && Math.abs(answers.abandon! / 10_000 - 0.1) < 0.03, JSON.stringify(answers));
  t.deepEqual(parseCardMix("ok=1, 3ds-fail=2"), { ok: 1, declined: 0, insufficient: 0, "3ds": 0, "3ds-fail": 2 });
  t.throws(() => parseCardMix("ok=1,amex=2"), { message: /kind=weight/ });
  t.throws(() => parseCardMix("ok=0"), { message: /one above 0/ });
});
