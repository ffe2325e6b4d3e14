// Each fault the processor can inject, under a little concurrent traffic: customers hold, book
// and pay (plain cards, 3-D Secure passed and failed, declines paid again), and some cancel.
// Once settled, the history checker must find every charge confirmed or refunded, never both,
// and no seat sold twice; and the processor's own books must agree: every charge it took
// is a confirmed booking's or given back.
import test, { type ExecutionContext } from "ava";
import type Stripe from "stripe";
import type { Answer } from "../../domain/booking/history.ts";
import type { BookingView } from "../../domain/show/views.ts";
import type { MarqueeConfig } from "../../moleculer.config.ts";
import { COLLECTIONS } from "../../processor/ledger.ts";
import { testConfig } from "../helpers/broker.ts";
import { answerOf, verifyRun } from "../helpers/history.ts";
import { startServer, type Client } from "../helpers/http.ts";
import { answerChallenge } from "../helpers/processor.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Attempts are looked up 500 ms after they start; a run must be settled within this. */
const SETTLEMENT_BOUND_MS = 30_000;
const FAST: Partial<MarqueeConfig> = { settleAfterMs: 500, reconcileEveryMs: 100 };

/** What each customer pays with in turn, and how they answer a 3-D Secure challenge. */
const METHODS: { method: string; challenge?: "complete" | "fail" }[] = [
  { method: "pm_card_visa" },
  { method: "pm_card_authenticationRequired", challenge: "complete" },
  { method: "pm_card_mastercard" },
  { method: "pm_card_authenticationRequired", challenge: "fail" },
  { method: "pm_card_chargeDeclined" },
  { method: "pm_card_authenticationRequiredChallengeFails", challenge: "complete" },
];

interface Run { tokens: string[]; answers: Answer[]; showId: string; unheard: string[] }

/** Polls a booking until no payment is in flight, or gives up after a while (the run's check waits longer). */
async function settledBooking(api: Client, token: string, id: string): Promise<BookingView> {
  for (let i = 0; ; i++) {
    const b = (await api.request<BookingView>("GET", `/api/bookings/${id}`, { token })).body;
    if (!b.paymentInProgress || i > 100) return b;
    await sleep(100);
  }
}

/** `customers` customers at once, `rounds` bookings each, on one show, over a pool of seats they compete for. */
async function traffic(api: Client, customers = 4, rounds = 3): Promise<Run> {
  const show = await api.dayAheadShow();
  const pool: string[] = show.seats.filter((s: { status: string }) => s.status === "available").slice(0, customers * 2).map((s: { id: string }) => s.id);
  const tokens = await Promise.all(Array.from({ length: customers }, async (_, c) => (await api.customer(`Fault ${c}`)).token));
  const run: Run = { tokens, answers: [], showId: show.id, unheard: [] };
  const pay = async (token: string, bookingId: string, method: string) => {
    const paid = await api.request("POST", `/api/bookings/${bookingId}/pay`, { token, body: { paymentMethod: method } });
    run.answers.push(answerOf(bookingId, "pay", paid));
    if (paid.status === 503) run.unheard.push(bookingId);
    return paid;
  };
  await Promise.all(tokens.map(async (token, c) => {
    for (let round = 0; round < rounds; round++) {
      const seat = pool[(c + round * 3) % pool.length]!;
      const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token, body: { seats: [seat] } });
      if (hold.status !== 201) continue; // another customer has it
      const booking = await api.request<BookingView>("POST", "/api/bookings", { token, body: { holdId: hold.body.id } });
      if (booking.status !== 201) continue;
      const { method, challenge } = METHODS[(c + round) % METHODS.length]!;
      const paid = await pay(token, booking.body.id, method);
      const url = paid.body?.payment?.nextAction?.url;
      if (paid.status === 200 && paid.body.status === "requires_action" && url && challenge) await answerChallenge(url, challenge);
      let now = await settledBooking(api, token, booking.body.id);
      if (now.status === "payment_failed") {
        await pay(token, booking.body.id, "pm_card_visa");
        now = await settledBooking(api, token, booking.body.id);
      }
      if (round % 2 === 1 && now.status === "confirmed") {
        const cancelled = await api.request("POST", `/api/bookings/${booking.body.id}/cancel`, { token });
        run.answers.push(answerOf(booking.body.id, "cancel", cancelled));
      }
    }
  }));
  return run;
}

/**
 * The processor's side: each charge it took belongs to a confirmed booking that names it, or
 * has been given back (all of it, or all but a cancellation fee).
 */
async function processorDisagreements(api: Client, run: Run): Promise<string[]> {
  const bookings = (await Promise.all(run.tokens.map(async (token) => (await api.request<BookingView[]>("GET", "/api/me/bookings", { token })).body))).flat();
  const records = await api.marquee.store.all<{ intent: Stripe.PaymentIntent; charge?: Stripe.Charge }>(COLLECTIONS.intents);
  const problems: string[] = [];
  for (const { intent, charge } of records) {
    if (intent.status !== "succeeded") continue;
    const booking = bookings.find((b) => b.id === intent.metadata.bookingId);
    const refunded = charge?.amount_refunded ?? 0;
    if (booking?.status === "confirmed" && booking.payment?.id === intent.id) continue;
    const fee = booking?.status === "cancelled" && booking.payment?.id === intent.id ? (booking.cancellationFee ?? 0) : 0;
    if (intent.amount - refunded > fee) problems.push(`the processor charged ${intent.amount} for booking ${intent.metadata.bookingId} (${booking?.status ?? "unknown"}) in ${intent.id}, and ${refunded} went back`);
  }
  return problems;
}

/** Waits up to the settlement bound for the checker and the processor's books to agree, then asserts the last verdict. */
async function assertSettled(t: ExecutionContext, api: Client, run: Run): Promise<void> {
  const adminToken = await api.admin();
  const deadline = Date.now() + SETTLEMENT_BOUND_MS;
  let problems: string[];
  for (;;) {
    problems = [
      ...await verifyRun((path, token) => api.request("GET", path, { token }), { adminToken, customerTokens: run.tokens, showIds: [run.showId], answers: run.answers, settled: true }),
      ...await processorDisagreements(api, run),
    ];
    if (problems.length === 0 || Date.now() > deadline) break;
    await sleep(200);
  }
  const confirmed = run.answers.filter((a) => a.bookingStatus === "confirmed").length;
  t.log(`${run.answers.length} pay/cancel answers, ${confirmed} confirmed, ${run.unheard.length} unheard; ${problems.length ? problems.join("; ") : "nothing wrong"}`);
  t.true(run.answers.length > 0, "the traffic paid for nothing: the run proves nothing");
  t.deepEqual(problems, []);
}

async function faultRun(t: ExecutionContext, faults: string, overrides: Partial<MarqueeConfig> = {}) {
  t.timeout(120_000);
  const api = await startServer(t, { ...FAST, processorFaults: faults, ...overrides });
  const run = await traffic(api);
  await assertSettled(t, api, run);
  return { api, run };
}

test("with every processor answer 150 ms late, every charge ends confirmed or refunded and no seat is sold twice", async (t) => {
  await faultRun(t, "latency=150");
});

test("with three confirms in ten declined whatever the card, every charge ends confirmed or refunded and no seat is sold twice", async (t) => {
  const { run } = await faultRun(t, "decline=0.3,seed=7");
  t.true(run.answers.some((a) => a.action === "pay" && a.bookingStatus === "payment_failed"), "some payment was declined");
});

test("with the processor hanging up after half the charges, every charge taken ends confirmed or refunded and no seat is sold twice", async (t) => {
  // Retries would learn the outcome by replaying the confirm: without them it stays unknown.
  const payments = { ...testConfig().payments, timeoutMs: 2_000, maxNetworkRetries: 0 };
  const { api, run } = await faultRun(t, "timeout_after_charge=0.5,seed=3", { payments });
  t.true(run.unheard.length > 0, "some payment went unanswered");
  const records = await api.marquee.store.all<{ intent: Stripe.PaymentIntent }>(COLLECTIONS.intents);
  const taken = run.unheard.filter((id) => records.some((r) => r.intent.metadata.bookingId === id && r.intent.status === "succeeded"));
  t.true(taken.length > 0, "some unanswered payment had actually been charged");
});

test("with every webhook delivered a second late, every charge ends confirmed or refunded and no seat is sold twice", async (t) => {
  await faultRun(t, "webhook_delay=1000");
});

test("with every webhook delivered twice, every charge ends confirmed or refunded and no seat is sold twice", async (t) => {
  await faultRun(t, "webhook_duplicate=1");
});

test("with webhooks held back so later ones overtake them, every charge ends confirmed or refunded and no seat is sold twice", async (t) => {
  await faultRun(t, "webhook_reorder=0.5,seed=5");
});

test("with every webhook lost, every charge ends confirmed or refunded and no seat is sold twice", async (t) => {
  await faultRun(t, "webhook_drop=1");
});
