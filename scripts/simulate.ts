// `npm run simulate -- --users 2000 --show <id>`: a crowd of simulated customers against a running
// gateway. Each one registers, browses a show, picks seats, holds them (a 409 conflict means
// re-browse and try again, up to 3 times), thinks, then pays or abandons the hold (releases it, or
// walks away and lets it expire). At the end every customer's bookings are fetched and checked: no
// seat of a show may be in two confirmed bookings, and every confirmed seat must be `booked` on the
// show's seat map. Usable as a library (`simulate(options)`) by benchmarks and tests.
//
// Paying goes the way the web app's card page goes, without a browser: the checkout config, the
// card to the processor's POST /v1/payment_methods with the publishable key (the number goes only
// there), Marquee's pay with the pm_ id, and for a 3-D Secure card the challenge page answered,
// then the booking polled until the processor's webhook settles it. `direct` pays with Stripe's
// test PaymentMethod ids instead, one request fewer.
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { checkHistory, type Answer, type CheckedBooking, type CheckedLedgerEntry, type RunHistory } from "../domain/booking/history.ts";
import { mulberry32 } from "../domain/random.ts";
import {
  CARD_KINDS, DEFAULT_CARD_MIX, TEST_CARDS, cardForm, checkMix, formatCardMix, parseCardMix, planPayment, type CardMix, type PaymentPlan, type PlanOptions,
} from "./simulate-cards.ts";

export type Step = "register" | "browse" | "hold" | "book" | "card" | "pay" | "challenge" | "release";
export const STEPS: readonly Step[] = ["register", "browse", "hold", "book", "card", "pay", "challenge", "release"];

export interface SimulationProgress {
  phase: "register" | "shop" | "verify";
  /** Customers registered / finished shopping / checked, out of `total`. */
  done: number;
  total: number;
  wins: number;
  conflicts: number;
  confirmed: number;
  /** 3-D Secure challenges met so far. */
  challenges: number;
  requests: number;
  /** Requests per second over the current phase. */
  rps: number;
  elapsedMs: number;
}

export interface SimulationOptions {
  /** Gateway base URL (without /api). Default $MARQUEE_URL or http://localhost:3000. */
  url?: string;
  /** Simulated customers. Default 200. */
  users?: number;
  /** Show id(s) to shop for; each customer picks one at random. Default: `shows` random future shows. */
  showId?: string | string[];
  /** How many random future shows to use when no showId is given. Default 1. */
  shows?: number;
  /** Most HTTP requests in flight at once. Default `users`. */
  concurrency?: number;
  /** Most registrations in flight: an adaptive window that starts at 10 and shrinks when the server is slow. Default 50. */
  registerBatch?: number;
  /** Mean think time between holding and paying or abandoning, randomised ±50%. Default 300. */
  thinkMs?: number;
  /** Share of customers with a hold who pay; the rest abandon (half release, half walk away). Default 0.6. */
  payRatio?: number;
  /** Seats per customer: a number or an inclusive [min, max] range. Default [1, 3]. */
  seatsPerCustomer?: number | [number, number];
  /** Hold retries after a 409 conflict (each after re-browsing). Default 3. */
  maxHoldRetries?: number;
  /** Seed of the pseudo-random choices (shows, seats, think times, pay or abandon). Default random. */
  seed?: number;
  /** Pay with Stripe's test PaymentMethod ids (pm_card_visa...) instead of making a card at the processor. Default false. */
  direct?: boolean;
  /** One test payment method for every customer (e.g. pm_card_chargeDeclined) instead of the card mix; implies `direct`. */
  paymentMethod?: string;
  /** Relative weights of the test cards paying customers use. Default DEFAULT_CARD_MIX (70% good, 15% declined, 15% 3-D Secure). */
  cardMix?: CardMix;
  /** Share of customers meeting a 3-D Secure challenge who press Fail. Default 0.2. */
  challengeFail?: number;
  /** Share of customers meeting a 3-D Secure challenge who walk away (their hold lapses). Default 0.1. */
  challengeAbandon?: number;
  /** Longest wait for a challenged booking's final status (the processor's webhook). Default 30000. */
  settleTimeoutMs?: number;
  /** Admin login, to read the payments ledger for the history check. Default $ADMIN_EMAIL / $ADMIN_PASSWORD or the development admin. */
  adminEmail?: string;
  adminPassword?: string;
  /** Awaited after everyone has registered, before the crowd starts shopping (e.g. to line up several runs). */
  beforeShop?: () => Promise<void> | void;
  /** Called about four times a second and at the end of each phase. */
  onProgress?: (progress: SimulationProgress) => void;
}

export interface LatencyStats {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface ShowOccupancy {
  showId: string;
  seats: number;
  available: number;
  held: number;
  booked: number;
}

export interface SimulationSummary {
  url: string;
  seed: number;
  showIds: string[];
  users: number;
  durationMs: number;
  /** Wall time of each phase: registering, shopping, and the final verification. */
  phases: { registerMs: number; shopMs: number; verifyMs: number };
  /** Every HTTP request made while registering and shopping, retries included. */
  requests: number;
  /** Requests per second over registering and shopping. */
  rps: number;
  /** Requests per second while shopping (browse, hold, book, pay, release). */
  shopRps: number;
  /** Hold requests (POST /api/shows/:id/holds), not counting 503/429 retries of the same request. */
  attempts: number;
  /** Holds granted (201). */
  wins: number;
  /** Holds refused with 409 SEAT_UNAVAILABLE. */
  conflicts: number;
  /** Hold requests that ended in anything else (see otherErrors). */
  holdErrors: number;
  /** Requests of any step that finally failed, by status ("network" for no answer), e.g. {"410": 2}. */
  otherErrors: Record<string, number>;
  /** Requests retried after 503/429 (Retry-After) or a network error. */
  retries: number;
  customers: {
    /** Held seats at least once. */
    held: number;
    /** Found no available seats on the show. */
    soldOut: number;
    /** Still conflicting after every retry. */
    gaveUp: number;
    /** Stopped by an unexpected error. */
    failed: number;
  };
  abandoned: { released: number; expired: number };
  bookingsConfirmed: number;
  seatsConfirmed: number;
  /** Payments refused: declined at once or failed 3-D Secure (payments.declined in all). */
  paymentsFailed: number;
  /** How customers paid: "hosted" (card at the processor) or "direct" (test PaymentMethod ids). */
  payMode: "hosted" | "direct";
  payments: {
    /** Customers who paid, by card of the mix (or by payment method id with `paymentMethod`). */
    byCard: Record<string, number>;
    /** Pay requests answered, one per paying customer. */
    attempts: number;
    /** Confirmed, at once or after a challenge. */
    confirmed: number;
    /** Refused, by the processor's failure code (card_declined, insufficient_funds, payment_intent_authentication_failure...). */
    declined: Record<string, number>;
    /** Left waiting on a challenge nobody answered. */
    abandoned: number;
    /** No final status within settleTimeoutMs of the challenge. Must be 0. */
    unsettled: number;
  };
  threeDSecure: { challenges: number; passed: number; failed: number; abandoned: number };
  /** Seats of a show that are in more than one confirmed booking. Must be 0. */
  doubleBookings: number;
  verification: {
    /** Confirmed bookings found through GET /api/me/bookings. */
    bookingsChecked: number;
    /** Confirmed seats whose seat map status is not `booked`. Must be 0. */
    seatsNotBooked: number;
    /** Bookings whose payment answered `confirmed` but that the customer's list does not show confirmed. Must be 0. */
    missingBookings: number;
    /** Up to 20 descriptions of what went wrong. */
    problems: string[];
    /**
     * The history checker's verdict over every booking, seat map and the payments ledger (each
     * charge confirmed or refunded, refunds within charges, what customers were told stands);
     * undefined when the ledger could not be read (no admin login).
     */
    history?: string[];
    /** The run's bookings by status as customers read them at the end (GET /api/me/bookings). */
    bookingStatuses: Record<string, number>;
  };
  occupancy: ShowOccupancy[];
  latency: Record<Step, LatencyStats>;
}

type Json = any;
/** An answer, with the time of its last try and how many tries it took (503/429 are retried). */
interface Reply { status: number; body: Json; ms: number; tries: number }

const PASSWORD = "simulated customer";
const MAX_RETRIES = 6;
const REQUEST_TIMEOUT_MS = 30_000;


/** A generator per customer, so each one's choices do not depend on how the others interleave. */
const customerRng = (seed: number, index: number) => mulberry32(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));

/** Customer `index`'s card and challenge answer: a stream of its own, so it depends on the seed alone. */
export const paymentPlanOf = (seed: number, index: number, options: PlanOptions): PaymentPlan => planPayment(customerRng(seed ^ 0x3d5ec0de, index), options);

const BOOKING_SETTLED = new Set(["confirmed", "payment_failed", "expired", "refunded", "cancelled"]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs at most `max` tasks at once; a finished task hands its slot to the next waiter. */
export function limiter(max: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

export function stats(samples: number[]): LatencyStats {
  if (samples.length === 0) return { count: 0, p50: 0, p99: 0, max: 0, mean: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count: sorted.length,
    p50: round(rank(0.5)),
    p99: round(rank(0.99)),
    max: round(sorted[sorted.length - 1]!),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
  };
}

export function pickSeats(rng: () => number, available: string[], count: number): string[] {
  const pool = [...available];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

interface Customer {
  index: number;
  email: string;
  token?: string;
  confirmed: { id: string; showId: string; seats: string[] }[];
}

export async function simulate(options: SimulationOptions = {}): Promise<SimulationSummary> {
  const url = (options.url ?? process.env.MARQUEE_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  const users = Math.max(1, Math.floor(options.users ?? 200));
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? users));
  const registerBatch = Math.max(1, Math.floor(options.registerBatch ?? 50));
  const thinkMs = Math.max(0, options.thinkMs ?? 300);
  const payRatio = Math.min(1, Math.max(0, options.payRatio ?? 0.6));
  const spc = options.seatsPerCustomer ?? [1, 3];
  const [minSeats, maxSeats] = typeof spc === "number" ? [spc, spc] : spc;
  if (!(minSeats >= 1 && maxSeats >= minSeats)) throw new Error(`seatsPerCustomer must be at least 1 (got ${JSON.stringify(spc)})`);
  const maxHoldRetries = Math.max(0, Math.floor(options.maxHoldRetries ?? 3));
  const seed = (options.seed ?? randomBytes(4).readUInt32LE(0)) >>> 0;
  const paymentMethod = options.paymentMethod;
  const direct = options.direct === true || paymentMethod !== undefined;
  const share = (value: number | undefined, fallback: number) => Math.min(1, Math.max(0, value ?? fallback));
  const plans: PlanOptions = { mix: options.cardMix ?? DEFAULT_CARD_MIX, challengeFail: share(options.challengeFail, 0.2), challengeAbandon: share(options.challengeAbandon, 0.1) };
  checkMix(plans.mix);
  if (plans.challengeFail + plans.challengeAbandon > 1) throw new Error(`challengeFail + challengeAbandon must be at most 1 (got ${plans.challengeFail} + ${plans.challengeAbandon})`);
  const settleTimeoutMs = Math.max(0, options.settleTimeoutMs ?? 30_000);
  // Unique per run (not seeded): emails and idempotency keys must never collide with an earlier run.
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const rng = mulberry32(seed);

  const limit = limiter(concurrency);
  const samples: Record<Step, number[]> = Object.fromEntries(STEPS.map((step) => [step, []])) as unknown as Record<Step, number[]>;
  const otherErrors: Record<string, number> = {};
  const problems: string[] = [];
  const problem = (text: string) => { if (problems.length < 20) problems.push(text); };
  const answers: Answer[] = [];
  const everyBooking: CheckedBooking[] = [];
  let requests = 0;
  let retries = 0;

  /** A request to the gateway (`path` from /api) or, given a whole URL, to the processor; `form` posts a form as the hosted pages do. */
  async function call(step: Step | null, method: string, path: string, init: { body?: unknown; form?: URLSearchParams; token?: string; key?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (init.body !== undefined) headers["content-type"] = "application/json";
    if (init.form !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.key) headers["idempotency-key"] = init.key;
    const body = init.form !== undefined ? init.form.toString() : init.body === undefined ? undefined : JSON.stringify(init.body);
    const target = /^https?:\/\//.test(path) ? path : url + path;
    for (let attempt = 0; ; attempt++) {
      let reply: Reply;
      let retryAfterMs = 0;
      try {
        reply = await limit(async () => {
          const started = performance.now();
          // Not following redirects: the 3-D Secure page answers by sending the browser back to the web app.
          const res = await fetch(target, { method, headers, body, redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
          const text = await res.text();
          const ms = performance.now() - started;
          let parsed: Json = text;
          try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
          const header = res.headers.get("retry-after");
          if (header && /^\d+$/.test(header)) retryAfterMs = Number(header) * 1000;
          return { status: res.status, body: parsed, ms, tries: attempt + 1 };
        });
      } catch (error) {
        const { cause: c } = error as { cause?: { code?: string; message?: string } };
        const cause = c?.code ?? c?.message;
        reply = { status: 0, body: { message: `${(error as Error).message}${cause ? ` (${cause})` : ""}` }, ms: 0, tries: attempt + 1 };
      } finally {
        requests++;
      }
      if (step && reply.status !== 0) samples[step].push(reply.ms);
      const retriable = reply.status === 503 || reply.status === 429 || reply.status === 0;
      if (!retriable || attempt >= MAX_RETRIES) return reply;
      retries++;
      const backoff = retryAfterMs || Math.min(2000, 100 * 2 ** attempt);
      await sleep(Math.min(10_000, backoff) * (0.75 + Math.random() * 0.5));
    }
  }

  const failed = (reply: Reply) => {
    const key = reply.status === 0 ? "network" : String(reply.status);
    otherErrors[key] = (otherErrors[key] ?? 0) + 1;
  };

  // ---- Which shows.
  let showIds: string[];
  if (options.showId && options.showId.length > 0) {
    showIds = (Array.isArray(options.showId) ? options.showId : options.showId.split(",")).map((s) => s.trim()).filter(Boolean);
  } else {
    const listed = await call(null, "GET", "/api/shows");
    if (listed.status !== 200 || !Array.isArray(listed.body)) throw new Error(`GET ${url}/api/shows answered ${listed.status || "nothing"}: ${JSON.stringify(listed.body).slice(0, 200)}`);
    const soon = Date.now() + 30 * 60_000;
    const future = (listed.body as Json[]).filter((s) => Date.parse(s.startsAt) > soon).map((s) => String(s.id)).sort();
    if (future.length === 0) throw new Error(`${url} lists no show starting in the next 30 minutes or later`);
    showIds = pickSeats(rng, future, Math.max(1, Math.floor(options.shows ?? 1)));
  }
  for (const showId of showIds) {
    const res = await call(null, "GET", `/api/shows/${encodeURIComponent(showId)}`);
    if (res.status !== 200) throw new Error(`show ${showId}: GET answered ${res.status || "nothing"}: ${JSON.stringify(res.body).slice(0, 200)}`);
  }

  // ---- Where the card page is: its processor takes the cards, with the publishable key.
  let checkout: { publishableKey: string; apiBase: string } | undefined;
  if (!direct) {
    const res = await call(null, "GET", "/api/payments/checkout");
    const { publishableKey, pageUrl } = (res.body ?? {}) as { publishableKey?: unknown; pageUrl?: unknown };
    if (res.status !== 200 || typeof publishableKey !== "string" || typeof pageUrl !== "string") {
      throw new Error(`GET ${url}/api/payments/checkout answered ${res.status || "nothing"} without a card page (${JSON.stringify(res.body).slice(0, 200)}); pay with --direct`);
    }
    checkout = { publishableKey, apiBase: new URL(pageUrl).origin };
  }

  // ---- Progress.
  const counters = { wins: 0, conflicts: 0, attempts: 0, holdErrors: 0, confirmed: 0 };
  const payments: SimulationSummary["payments"] = { byCard: {}, attempts: 0, confirmed: 0, declined: {}, abandoned: 0, unsettled: 0 };
  const threeDSecure: SimulationSummary["threeDSecure"] = { challenges: 0, passed: 0, failed: 0, abandoned: 0 };
  const tally = (counts: Record<string, number>, key: string) => { counts[key] = (counts[key] ?? 0) + 1; };
  let phase: SimulationProgress["phase"] = "register";
  let phaseStart = performance.now();
  let phaseRequests = 0;
  let done = 0;
  const started = performance.now();
  const report = () => {
    if (!options.onProgress) return;
    const elapsed = performance.now() - phaseStart;
    options.onProgress({
      phase, done, total: users, wins: counters.wins, conflicts: counters.conflicts, confirmed: counters.confirmed, challenges: threeDSecure.challenges,
      requests, rps: elapsed > 0 ? Math.round(((requests - phaseRequests) * 1000) / elapsed) : 0, elapsedMs: Math.round(performance.now() - started),
    });
  };
  const enter = (next: SimulationProgress["phase"]) => { report(); phase = next; phaseStart = performance.now(); phaseRequests = requests; done = 0; };
  const ticker = options.onProgress ? setInterval(report, 250) : undefined;
  ticker?.unref();

  const customers: Customer[] = Array.from({ length: users }, (_, index) => ({ index, email: `sim-${runId}-${index}@simulate.marquee.local`, confirmed: [] }));
  const outcome = { held: 0, soldOut: 0, gaveUp: 0, failed: 0, released: 0, expired: 0, seatsConfirmed: 0, paymentsFailed: 0 };

  try {
    // ---- Register, at most `registerBatch` at a time: password hashing is the expensive part. The
    // window starts small, grows while answers are quick and halves when one is slow or had to be
    // retried, so a server with the production scrypt cost never runs registrations into its timeout.
    const register = async (customer: Customer): Promise<boolean> => {
      const profile = { email: customer.email, password: PASSWORD, name: `Simulated Customer ${customer.index + 1}` };
      let res = await call("register", "POST", "/api/auth/register", { body: profile });
      const slow = res.tries > 1 || res.ms > 3000;
      // A retried registration may have gone through the first time.
      if (res.status === 409 && res.tries > 1) res = await call(null, "POST", "/api/auth/login", { body: { email: profile.email, password: PASSWORD } });
      if (res.status === 200 || res.status === 201) customer.token = res.body.token;
      else { failed(res); problem(`register ${customer.email}: ${res.status || "no answer"} ${res.body?.type ?? res.body?.message ?? ""}`); }
      return slow;
    };
    let window = Math.min(registerBatch, 10);
    let next = 0;
    let inFlight = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        if (next >= users && inFlight === 0) return resolve();
        while (inFlight < window && next < users) {
          const customer = customers[next++]!;
          inFlight++;
          register(customer)
            .then((slow) => { window = slow ? Math.max(1, Math.floor(window / 2)) : Math.min(registerBatch, window + 1); })
            .catch((error: Error) => { otherErrors.network = (otherErrors.network ?? 0) + 1; problem(`register ${customer.email}: ${error.message}`); })
            .finally(() => { inFlight--; done++; pump(); });
        }
      };
      pump();
    });

    /** The payment method the customer's card page would make (or its test id on the direct path). */
    const methodFor = async (customer: Customer, plan: PaymentPlan): Promise<string | undefined> => {
      if (paymentMethod) return paymentMethod;
      if (!checkout) return TEST_CARDS[plan.card].paymentMethod;
      const made = await call("card", "POST", `${checkout.apiBase}/v1/payment_methods`, { form: cardForm(plan.card, new Date()), token: checkout.publishableKey, key: `sim-${runId}-${customer.index}-card` });
      if (made.status === 200 && typeof made.body?.id === "string") return made.body.id;
      failed(made);
      problem(`POST /v1/payment_methods (${plan.card} card): ${made.status} ${made.body?.error?.code ?? made.body?.error?.message ?? ""}`.trim());
      return undefined;
    };

    /** The booking as the customer sees it once the processor's word has reached Marquee. */
    const finalStatus = async (token: string, bookingId: string): Promise<Json | undefined> => {
      const deadline = performance.now() + settleTimeoutMs;
      for (;;) {
        const res = await call(null, "GET", `/api/bookings/${encodeURIComponent(bookingId)}`, { token });
        if (res.status === 200 && BOOKING_SETTLED.has(res.body?.status) && !res.body.paymentInProgress) return res.body;
        if (res.status !== 200) { failed(res); return undefined; }
        if (performance.now() >= deadline) return undefined;
        await sleep(100);
      }
    };

    const confirm = (customer: Customer, booking: Json, showId: string) => {
      counters.confirmed++;
      payments.confirmed++;
      outcome.seatsConfirmed += booking.seats.length;
      customer.confirmed.push({ id: booking.id, showId: booking.showId ?? showId, seats: booking.seats });
    };
    const decline = (code: string) => { outcome.paymentsFailed++; tally(payments.declined, code); };

    /** Pays as the card page does; a 3-D Secure card meets its challenge and is waited for. */
    const pay = async (customer: Customer, bookingId: string, showId: string) => {
      const token = customer.token!;
      const plan = paymentPlanOf(seed, customer.index, plans);
      const method = await methodFor(customer, plan);
      if (!method) { outcome.failed++; return; }
      tally(payments.byCard, paymentMethod ?? plan.card);
      const paid = await call("pay", "POST", `/api/bookings/${encodeURIComponent(bookingId)}/pay`, { body: { paymentMethod: method }, token, key: `sim-${runId}-${customer.index}-pay` });
      const told = paid.status === 200 ? paid.body?.status : paid.body?.data?.booking?.status;
      answers.push({ bookingId, action: "pay", ...(typeof told === "string" ? { bookingStatus: told } : {}) });
      if (paid.status === 402) { payments.attempts++; decline(String(paid.body?.data?.reason ?? "declined")); return; }
      if (paid.status !== 200 || (told !== "confirmed" && told !== "requires_action")) {
        failed(paid);
        problem(`pay ${bookingId}: ${paid.status} ${paid.body?.type ?? paid.body?.status ?? ""}`);
        outcome.failed++;
        return;
      }
      payments.attempts++;
      if (told === "confirmed") { confirm(customer, paid.body, showId); return; }

      const link = paid.body.payment?.nextAction?.url;
      if (typeof link !== "string") { problem(`pay ${bookingId}: requires_action without a challenge link`); outcome.failed++; return; }
      threeDSecure.challenges++;
      if (plan.challenge === "abandon") { threeDSecure.abandoned++; payments.abandoned++; return; }
      const challenge = new URL(link);
      const page = await call(null, "GET", challenge.href);
      const answered = page.status === 200
        ? await call("challenge", "POST", challenge.origin + challenge.pathname, { form: new URLSearchParams({ client_secret: challenge.searchParams.get("client_secret") ?? "", outcome: plan.challenge }) })
        : page;
      if (answered.status >= 400 || answered.status === 0) {
        failed(answered);
        problem(`3-D Secure challenge of ${bookingId}: ${answered.status || "no answer"}`);
        outcome.failed++;
        return;
      }
      const booking = await finalStatus(token, bookingId);
      if (booking) answers.push({ bookingId, action: "pay", bookingStatus: booking.status });
      if (booking?.status === "confirmed") { threeDSecure.passed++; confirm(customer, booking, showId); return; }
      if (booking?.status === "payment_failed") { threeDSecure.failed++; decline(String(booking.payment?.failureCode ?? "declined")); return; }
      payments.unsettled++;
      problem(`booking ${bookingId} is ${booking?.status ?? "still unsettled"} ${settleTimeoutMs} ms after its 3-D Secure challenge was answered ${plan.challenge}`);
    };

    // ---- Shop: everyone at once (within `concurrency` requests in flight).
    await options.beforeShop?.();
    const registerEnd = performance.now();
    const registerRequests = requests;
    enter("shop");
    const shop = async (customer: Customer) => {
      const token = customer.token;
      if (!token) { outcome.failed++; return; }
      const r = customerRng(seed, customer.index);
      const showId = showIds[Math.floor(r() * showIds.length)]!;
      const want = minSeats + Math.floor(r() * (maxSeats - minSeats + 1));
      const show = encodeURIComponent(showId);
      let hold: Json;
      for (let attempt = 0; attempt <= maxHoldRetries && !hold; attempt++) {
        const browse = await call("browse", "GET", `/api/shows/${show}`);
        if (browse.status !== 200) { failed(browse); outcome.failed++; return; }
        const available = (browse.body.seats as Json[]).filter((s) => s.status === "available").map((s) => String(s.id));
        if (available.length === 0) { outcome.soldOut++; return; }
        const seats = pickSeats(r, available, want);
        counters.attempts++;
        const res = await call("hold", "POST", `/api/shows/${show}/holds`, { body: { seats }, token, key: `sim-${runId}-${customer.index}-hold-${attempt}` });
        if (res.status === 201) { counters.wins++; hold = res.body; break; }
        if (res.status === 409 && res.body?.type === "SEAT_UNAVAILABLE") { counters.conflicts++; continue; }
        counters.holdErrors++;
        failed(res);
        problem(`hold ${showId} ${seats.join(",")}: ${res.status} ${res.body?.type ?? ""} ${res.body?.message ?? ""}`.trim());
        outcome.failed++;
        return;
      }
      if (!hold) { outcome.gaveUp++; return; }
      outcome.held++;

      await sleep(thinkMs * (0.5 + r()));

      if (r() < payRatio) {
        const booking = await call("book", "POST", "/api/bookings", { body: { holdId: hold.id }, token, key: `sim-${runId}-${customer.index}-book` });
        if (booking.status !== 201) { failed(booking); problem(`book ${hold.id}: ${booking.status} ${booking.body?.type ?? ""}`); outcome.failed++; return; }
        await pay(customer, booking.body.id, showId);
      } else if (r() < 0.5) {
        const released = await call("release", "DELETE", `/api/holds/${encodeURIComponent(hold.id)}`, { token });
        if (released.status === 204) outcome.released++;
        else { failed(released); problem(`release ${hold.id}: ${released.status} ${released.body?.type ?? ""}`); outcome.failed++; }
      } else {
        outcome.expired++;
      }
    };
    await Promise.all(customers.map(async (customer) => {
      try {
        await shop(customer);
      } catch (error) {
        outcome.failed++;
        problem(`customer ${customer.index}: ${(error as Error).message}`);
      } finally {
        done++;
      }
    }));
    const shopEnd = performance.now();
    const shopRequests = requests;

    // ---- Verify: every customer's confirmed bookings, then the seat maps.
    enter("verify");
    const seen = new Map<string, { showId: string; seats: string[]; userIndex: number }>();
    for (let i = 0; i < users; i += registerBatch) {
      await Promise.all(customers.slice(i, i + registerBatch).map(async (customer) => {
        if (customer.token) {
          const res = await call(null, "GET", "/api/me/bookings", { token: customer.token });
          if (res.status !== 200 || !Array.isArray(res.body)) problem(`GET /api/me/bookings for ${customer.email}: ${res.status}`);
          else {
            everyBooking.push(...(res.body as CheckedBooking[]));
            for (const b of res.body as Json[]) if (b.status === "confirmed") seen.set(b.id, { showId: b.showId, seats: b.seats, userIndex: customer.index });
          }
        }
        done++;
      }));
    }
    const bookingsChecked = seen.size;
    const bookingStatuses: Record<string, number> = {};
    for (const b of everyBooking) tally(bookingStatuses, b.status);
    let missingBookings = 0;
    for (const customer of customers) {
      for (const b of customer.confirmed) {
        if (seen.has(b.id)) continue;
        missingBookings++;
        problem(`booking ${b.id} was confirmed to customer ${customer.index} but is not confirmed in their bookings`);
        seen.set(b.id, { ...b, userIndex: customer.index }); // still counts for the double-booking check
      }
    }
    const owners = new Map<string, string[]>();
    for (const [id, b] of seen) {
      for (const seat of b.seats) {
        const key = `${b.showId}\u0000${seat}`;
        owners.set(key, [...(owners.get(key) ?? []), id]);
      }
    }
    let doubleBookings = 0;
    for (const [key, ids] of owners) {
      if (ids.length < 2) continue;
      doubleBookings++;
      const [showId, seat] = key.split("\u0000");
      problem(`DOUBLE BOOKING: ${showId} seat ${seat} is in ${ids.length} confirmed bookings: ${ids.join(", ")}`);
    }
    let seatsNotBooked = 0;
    const occupancy: ShowOccupancy[] = [];
    const seatMaps: RunHistory["seatMaps"] = [];
    const confirmedShows = new Set([...showIds, ...[...seen.values()].map((b) => b.showId)]);
    for (const showId of confirmedShows) {
      const res = await call(null, "GET", `/api/shows/${encodeURIComponent(showId)}`);
      if (res.status !== 200) { problem(`GET show ${showId} for verification: ${res.status}`); continue; }
      seatMaps.push({ showId, seats: res.body.seats });
      const status = new Map<string, string>((res.body.seats as Json[]).map((s) => [String(s.id), String(s.status)]));
      const count = (wanted: string) => [...status.values()].filter((s) => s === wanted).length;
      if (showIds.includes(showId)) occupancy.push({ showId, seats: status.size, available: count("available"), held: count("held"), booked: count("booked") });
      for (const [key] of owners) {
        const [keyShow, seat] = key.split("\u0000") as [string, string];
        if (keyShow !== showId || status.get(seat) === "booked") continue;
        seatsNotBooked++;
        problem(`${showId} seat ${seat} is confirmed in a booking but the seat map says ${status.get(seat) ?? "nothing"}`);
      }
    }
    // The history checker over the whole run, from the payments ledger an admin can read.
    let history: string[] | undefined;
    const login = await call(null, "POST", "/api/auth/login", { body: { email: options.adminEmail ?? process.env.ADMIN_EMAIL ?? "admin@marquee.local", password: options.adminPassword ?? process.env.ADMIN_PASSWORD ?? "marquee-admin" } });
    const ledger = login.status === 200 ? await call(null, "GET", "/api/admin/payments", { token: login.body.token }) : undefined;
    if (ledger?.status === 200) {
      // Only the run's own bookings and shows: the ledger may hold other runs' money too.
      const mine = new Set(everyBooking.map((b) => b.id));
      history = checkHistory({ bookings: everyBooking, seatMaps, ledger: (ledger.body as CheckedLedgerEntry[]).filter((e) => mine.has(e.bookingId)), answers, settled: false });
      for (const p of history.slice(0, 20)) problem(`history: ${p}`);
    } else {
      problem(`history check not run: could not read GET /api/admin/payments as admin (${login.status === 200 ? ledger?.status : `login ${login.status}`}); pass --admin-password`);
    }
    report();

    const durationMs = shopEnd - started;
    const perSecond = (n: number, ms: number) => (ms > 0 ? Math.round((n * 1000) / ms) : 0);
    return {
      url, seed, showIds, users,
      durationMs: Math.round(durationMs),
      phases: { registerMs: Math.round(registerEnd - started), shopMs: Math.round(shopEnd - registerEnd), verifyMs: Math.round(performance.now() - shopEnd) },
      requests: shopRequests,
      rps: perSecond(shopRequests, durationMs),
      shopRps: perSecond(shopRequests - registerRequests, shopEnd - registerEnd),
      attempts: counters.attempts,
      wins: counters.wins,
      conflicts: counters.conflicts,
      holdErrors: counters.holdErrors,
      otherErrors,
      retries,
      customers: { held: outcome.held, soldOut: outcome.soldOut, gaveUp: outcome.gaveUp, failed: outcome.failed },
      abandoned: { released: outcome.released, expired: outcome.expired },
      bookingsConfirmed: counters.confirmed,
      seatsConfirmed: outcome.seatsConfirmed,
      paymentsFailed: outcome.paymentsFailed,
      payMode: direct ? "direct" : "hosted",
      payments,
      threeDSecure,
      doubleBookings,
      verification: { bookingsChecked, seatsNotBooked, missingBookings, problems, ...(history ? { history } : {}), bookingStatuses },
      occupancy,
      latency: Object.fromEntries(STEPS.map((step) => [step, stats(samples[step])])) as Record<Step, LatencyStats>,
    };
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

/** True when the run broke a rule customers rely on. */
export const violated = (s: SimulationSummary): boolean =>
  s.doubleBookings > 0 || s.verification.seatsNotBooked > 0 || s.verification.missingBookings > 0 || (s.verification.history?.length ?? 0) > 0;

/** The summary as a readable table. */
export function formatSummary(s: SimulationSummary): string {
  const pct = (n: number, of: number) => (of > 0 ? ` (${Math.round((n * 100) / of)}%)` : "");
  const errors = Object.entries(s.otherErrors).map(([status, n]) => `${status}: ${n}`).join(", ");
  const ok = (n: number) => (n === 0 ? "0  ok" : `${n}  FAILED`);
  // Cards in the mix's order, anything else (a --payment-method id, a failure code) by count.
  const rank = (key: string) => { const i = (CARD_KINDS as readonly string[]).indexOf(key); return i < 0 ? CARD_KINDS.length : i; };
  const counted = (counts: Record<string, number>, order = (a: string, b: string) => counts[b]! - counts[a]! || a.localeCompare(b)) =>
    Object.keys(counts).sort(order).map((key) => `${key} ${counts[key]}`).join(", ");
  const rows: [string, string][] = [
    ["customers", `${s.users} (${s.customers.held} held seats, ${s.customers.soldOut} found it sold out, ${s.customers.gaveUp} gave up after conflicts, ${s.customers.failed} failed)`],
    ["hold attempts", String(s.attempts)],
    ["wins", `${s.wins}${pct(s.wins, s.attempts)}`],
    ["conflicts", `${s.conflicts}${pct(s.conflicts, s.attempts)}`],
    ["hold errors", String(s.holdErrors)],
    ["other errors", errors || "none"],
    ["retries (503/429)", String(s.retries)],
    ["abandoned holds", `${s.abandoned.released + s.abandoned.expired} (${s.abandoned.released} released, ${s.abandoned.expired} left to expire)`],
    ["bookings confirmed", `${s.bookingsConfirmed} (${s.seatsConfirmed} seats${s.paymentsFailed ? `, ${s.paymentsFailed} payments declined` : ""})`],
    ["payments", `${s.payments.attempts} ${s.payMode === "hosted" ? "through the card page" : "with test payment methods"} (${counted(s.payments.byCard, (a, b) => rank(a) - rank(b)) || "none"})`],
    ["  confirmed", String(s.payments.confirmed)],
    ["  declined", counted(s.payments.declined) || "0"],
    ["  abandoned", String(s.payments.abandoned)],
    ...(s.payments.unsettled ? [["  unsettled", `${s.payments.unsettled}  (no final status in time)`] as [string, string]] : []),
    ["3-D Secure", `${s.threeDSecure.challenges} challenges: ${s.threeDSecure.passed} passed, ${s.threeDSecure.failed} failed, ${s.threeDSecure.abandoned} abandoned`],
    ["double bookings", ok(s.doubleBookings)],
    ["seats not booked", ok(s.verification.seatsNotBooked)],
    ["missing bookings", ok(s.verification.missingBookings)],
    ["history check", s.verification.history ? (s.verification.history.length ? `${s.verification.history.length} violations  FAILED` : "every charge confirmed or refunded  ok") : "not run (no admin login)"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    `Marquee crowd simulation against ${s.url}, seed ${s.seed}`,
    `${s.users} customers, ${s.showIds.length} show${s.showIds.length === 1 ? "" : "s"}, ${(s.durationMs / 1000).toFixed(1)} s (registering ${(s.phases.registerMs / 1000).toFixed(1)} s, shopping ${(s.phases.shopMs / 1000).toFixed(1)} s at ${s.shopRps} req/s), ${s.requests} requests`,
    "",
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    "",
  ];
  const cols = ["step", "count", "p50 ms", "p99 ms", "max ms", "mean ms"];
  const table = STEPS.map((step) => {
    const l = s.latency[step];
    return [step, String(l.count), l.p50.toFixed(1), l.p99.toFixed(1), l.max.toFixed(1), l.mean.toFixed(1)];
  });
  const widths = cols.map((c, i) => Math.max(c.length, ...table.map((r) => r[i]!.length)));
  const line = (r: string[]) => `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")}`;
  lines.push(line(cols), ...table.map(line), "");
  if (s.latency.register.p50 > 1000) {
    lines.push("  registering was slow: for big crowds start the server with a cheaper password hash (SCRYPT_N=1024)", "");
  }
  if (s.occupancy.length > 0) {
    lines.push("  show occupancy at the end:");
    for (const o of s.occupancy) lines.push(`    ${o.showId}: ${o.booked} booked, ${o.held} held, ${o.available} available of ${o.seats}`);
    lines.push("");
  }
  if (s.verification.problems.length > 0) {
    lines.push("  problems:");
    for (const p of s.verification.problems) lines.push(`    - ${p}`);
    lines.push("");
  }
  return lines.join("\n");
}

const HELP = `Usage: npm run simulate -- [options]

A crowd of simulated customers against a running Marquee gateway: register, browse, hold
(retrying conflicts), think, then pay or abandon. Paying goes through the processor's card
page API with a seeded mix of test cards, answering 3-D Secure challenges. Checks for double
bookings and runs the history checker at the end; exits 1 on any violation.

  --url <url>            gateway (default $MARQUEE_URL or http://localhost:3000)
  --users <n>            simulated customers (default 200)
  --show <id[,id...]>    show(s) to shop for (default: random future shows)
  --shows <n>            how many random future shows when --show is not given (default 1)
  --concurrency <n>      most requests in flight (default: --users)
  --think-ms <ms>        mean think time before paying or abandoning, ±50% (default 300)
  --pay-ratio <0..1>     share of customers with a hold who pay (default 0.6)
  --seats <n|min-max>    seats per customer (default 1-3)
  --retries <n>          hold retries after a conflict (default 3)
  --register-batch <n>   most registrations in flight (default 50; adapts to the server)
  --seed <n>             seed for repeatable choices (default random, printed)
  --cards <mix>          weights of the test cards paying customers use, of ${CARD_KINDS.join(", ")}
                         (default ${formatCardMix(DEFAULT_CARD_MIX)})
  --challenge-fail <r>   share of 3-D Secure challenges failed, 0..1 (default 0.2)
  --challenge-abandon <r>
                         share of 3-D Secure challenges walked away from, 0..1 (default 0.1)
  --direct               pay with Stripe's test PaymentMethod ids (pm_card_visa...) instead of
                         making each card at the processor as the card page does
  --payment-method <pm>  one test payment method for everyone (implies --direct)
  --admin-password <pw>  admin password, to read the payments ledger for the history check
                         (default $ADMIN_PASSWORD or the development admin's)
  --onsale               simulate a hot on-sale through the waiting room instead (--onsale --help)
  --json                 print the summary as JSON instead of a table
  --quiet                no progress line
  -h, --help             this help
`;

function parseCli(argv: string[]): { options: SimulationOptions; json: boolean; quiet: boolean } | undefined {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      url: { type: "string" },
      users: { type: "string" },
      show: { type: "string", multiple: true },
      shows: { type: "string" },
      concurrency: { type: "string" },
      "think-ms": { type: "string" },
      "pay-ratio": { type: "string" },
      seats: { type: "string" },
      retries: { type: "string" },
      "register-batch": { type: "string" },
      seed: { type: "string" },
      "payment-method": { type: "string" },
      cards: { type: "string" },
      "challenge-fail": { type: "string" },
      "challenge-abandon": { type: "string" },
      direct: { type: "boolean", default: false },
      "admin-password": { type: "string" },
      json: { type: "boolean", default: false },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  const num = (name: string, value: string | undefined, min: number, max = Infinity): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min}${max === Infinity ? " up" : ` to ${max}`} (got ${value})`);
    return n;
  };
  let seatsPerCustomer: SimulationOptions["seatsPerCustomer"];
  if (values.seats !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(values.seats.trim());
    if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new Error(`--seats must be a number or a range like 1-3 (got ${values.seats})`);
    seatsPerCustomer = [Number(m[1]), Number(m[2] ?? m[1])];
  }
  const shows = values.show?.flatMap((s) => s.split(",")).map((s) => s.trim()).filter(Boolean);
  const options: SimulationOptions = {
    url: values.url,
    users: num("users", values.users, 1),
    showId: shows && shows.length > 0 ? shows : undefined,
    shows: num("shows", values.shows, 1),
    concurrency: num("concurrency", values.concurrency, 1),
    thinkMs: num("think-ms", values["think-ms"], 0),
    payRatio: num("pay-ratio", values["pay-ratio"], 0, 1),
    seatsPerCustomer,
    maxHoldRetries: num("retries", values.retries, 0),
    registerBatch: num("register-batch", values["register-batch"], 1),
    seed: num("seed", values.seed, 0, 0xffffffff),
    paymentMethod: values["payment-method"],
    direct: values.direct,
    cardMix: values.cards === undefined ? undefined : parseCardMix(values.cards),
    challengeFail: num("challenge-fail", values["challenge-fail"], 0, 1),
    challengeAbandon: num("challenge-abandon", values["challenge-abandon"], 0, 1),
    adminPassword: values["admin-password"],
  };
  return { options, json: values.json, quiet: values.quiet };
}

async function main() {
  // `--onsale`: a hot on-sale through the waiting room instead (scripts/simulate-onsale.ts).
  if (process.argv.includes("--onsale")) {
    await (await import("./simulate-onsale.ts")).main(process.argv.slice(2).filter((a) => a !== "--onsale"));
    return;
  }
  let cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`simulate: ${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (!cli) { process.stdout.write(HELP); return; }
  const { options, json, quiet } = cli;
  const live = !quiet && process.stderr.isTTY;
  const printed = new Set<string>();
  if (!quiet) {
    options.onProgress = (p) => {
      const text = `${p.phase.padEnd(8)} ${String(p.done).padStart(String(p.total).length)}/${p.total}  wins ${p.wins}  conflicts ${p.conflicts}  confirmed ${p.confirmed}  3ds ${p.challenges}  ${p.rps} req/s  ${(p.elapsedMs / 1000).toFixed(1)} s`;
      if (live) process.stderr.write(`\r${text}\x1b[K`);
      else if (p.done === p.total && !printed.has(p.phase)) { printed.add(p.phase); process.stderr.write(`${text}\n`); } // no TTY: one line per phase
    };
  }
  try {
    const summary = await simulate(options);
    if (live) process.stderr.write("\n");
    process.stdout.write(json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
    if (violated(summary)) process.exitCode = 1;
  } catch (error) {
    if (live) process.stderr.write("\n");
    process.stderr.write(`simulate: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}

// Not awaited at the top level: main() may import simulate-onsale.ts, which imports this module,
// and a module still evaluating a top-level await cannot be imported.
if (import.meta.main) void main();
