// Card numbers never reach Marquee's records: a pay request carrying one is refused without
// repeating it, and after customers type real test cards at the processor's API (as its hosted
// page does) and pay with them, no log line, stored record or error message holds a full number.
import test, { type ExecutionContext } from "ava";
import { MemoryStore } from "../../infra/memory-store.ts";
import type { BookingView } from "../../domain/show/views.ts";
import { startServer, type Client, type Reply } from "../helpers/http.ts";
import { answerChallenge, recorded } from "../helpers/processor.ts";

/** Stripe's test numbers as a customer types them, each with how its challenge is answered (if it has one). */
const CARDS: { number: string; challenge?: "complete" | "fail" }[] = [
  { number: "4242 4242 4242 4242" },
  { number: "5555555555554444" },
  { number: "4000 0025 0000 3155", challenge: "complete" },
  { number: "4000002500003155", challenge: "fail" },
  { number: "4000-0000-0000-9235", challenge: "complete" },
  { number: "4000000000000002" },
  { number: "4000000000009995" },
];
/** A mistyped number: the processor refuses it, and must not repeat it either. */
const MISTYPED = "4242424242424241";
const digits = (n: string) => n.replace(/\D/g, "");
/** Every way a number may appear: as typed, bare digits, and in groups of four with spaces or dashes. */
const spellings = (n: string) => {
  const d = digits(n);
  const groups = d.match(/.{1,4}/g)!;
  return [n, d, groups.join(" "), groups.join("-")];
};
const NUMBERS = [...new Set([...CARDS.map((c) => c.number), MISTYPED].flatMap(spellings))];

/** Every text a body may hold a number in, from each shape of refused pay request. */
const REFUSED_BODIES = (number: string): unknown[] => [
  { card: number },
  { card: { number: digits(number), exp_month: 12, exp_year: 2031, cvc: "123" } },
  { paymentMethod: number },
  { paymentMethod: "pm_card_visa", billing: { notes: [number] } },
  { cardNumber: Number(digits(number)) },
  { paymentMethod: Number(digits(number)) },
  { returnUrl: number },
];

async function bookedSeat(api: Client, token: string) {
  const show = await api.dayAheadShow();
  const seat = show.seats.find((s: { status: string }) => s.status === "available").id;
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token, body: { seats: [seat] } });
  const booking = await api.request<BookingView>("POST", "/api/bookings", { token, body: { holdId: hold.body.id } });
  if (booking.status !== 201) throw new Error(`booking: ${booking.status} ${JSON.stringify(booking.body)}`);
  return booking.body;
}

test("a pay request with a card number in its body is refused with 422 CARD_DATA_REFUSED that does not repeat the number", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const booking = await bookedSeat(api, user.token);
  for (const body of REFUSED_BODIES("4242 4242 4242 4242")) {
    const res = await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body });
    t.is(res.status, 422, JSON.stringify(body));
    t.is(res.body.type, "CARD_DATA_REFUSED", JSON.stringify(body));
    t.regex(res.body.message, /never takes card numbers/);
    for (const n of spellings("4242424242424242")) t.false(JSON.stringify(res.body).includes(n), `${JSON.stringify(body)} answered with ${n}`);
  }
  t.like((await api.request<BookingView>("GET", `/api/bookings/${booking.id}`, { token: user.token })).body, { status: "pending_payment", attempts: 0 });
});

/** Everything the platform's logger prints while the test runs (Moleculer's console logger). */
function capturedConsole(t: ExecutionContext): string[] {
  const lines: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug"] as const;
  const originals = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => { lines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" ")); };
  t.teardown(() => methods.forEach((m, i) => { console[m] = originals[i]!; }));
  return lines;
}

test("after customers pay with cards typed at the processor, no log line, stored record or error message holds a card number", async (t) => {
  t.timeout(90_000);
  const logs = capturedConsole(t);
  const writes: string[] = [];
  const store = new MemoryStore();
  const api = await startServer(t, { logLevel: "debug", logFormat: "short", settleAfterMs: 300, reconcileEveryMs: 100 }, recorded(store, writes));
  const processor = api.marquee.processorUrl!;
  const { publishableKey } = api.marquee.config.payments;
  const answers: Reply[] = [];
  /** What the hosted card page does in the browser: the card goes to the processor only. */
  const paymentMethod = async (number: string) => {
    const res = await fetch(`${processor}/v1/payment_methods`, {
      method: "POST", headers: { authorization: `Bearer ${publishableKey}` },
      body: new URLSearchParams({ type: "card", "card[number]": number, "card[exp_month]": "12", "card[exp_year]": "2031", "card[cvc]": "123" }),
    });
    answers.push({ status: res.status, headers: res.headers, body: await res.text() });
    return JSON.parse(answers.at(-1)!.body as string) as { id?: string };
  };

  for (const { number, challenge } of CARDS) {
    const user = await api.customer();
    const booking = await bookedSeat(api, user.token);
    for (const body of REFUSED_BODIES(number)) answers.push(await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body }));
    const method = await paymentMethod(number);
    t.regex(method.id ?? "", /^pm_/, number);
    const paid = await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: method.id } });
    answers.push(paid);
    if (challenge && paid.body?.payment?.nextAction?.url) await answerChallenge(paid.body.payment.nextAction.url, challenge);
    answers.push(await api.request("GET", `/api/bookings/${booking.id}`, { token: user.token }));
  }
  t.falsy((await paymentMethod(MISTYPED)).id, "a mistyped number makes no payment method");
  answers.push(await api.request("GET", "/api/admin/payments", { token: await api.admin() }));

  // The run really happened: payments were kept, logged and answered, with their last four digits.
  const stored = writes.join("\n");
  const logged = logs.join("\n");
  const answered = answers.map((a) => (typeof a.body === "string" ? a.body : JSON.stringify(a.body))).join("\n");
  t.true(stored.includes("stripe:payment_methods") && stored.includes('"last4":"3155"'), "payment methods were stored");
  t.true(logs.length > 50 && logged.includes("POST /api/bookings/"), "requests were logged");
  t.true(answered.includes("CARD_DATA_REFUSED") && answered.includes("card_declined") && answered.includes("incorrect_number"), "refusals and declines were answered");
  for (const n of NUMBERS) {
    t.false(stored.includes(n), `the store holds ${n}`);
    t.false(logged.includes(n), `a log line holds ${n}`);
    t.false(answered.includes(n), `an answer holds ${n}`);
  }
});
