import test from "ava";
import type { ServiceSchema } from "moleculer";
import adminService from "../../services/admin.service.ts";
import pricingService from "../../services/pricing.service.ts";
import showActor from "../../services/show.actor.ts";
import type { Caller } from "../../services/deps.ts";
import { startBroker } from "../helpers/broker.ts";

// Test doubles for the catalog and the card processor: this file is about the workflow's
// compensation, which a real processor cannot be asked to trigger on cue.
const catalog = (): ServiceSchema => ({
  name: "catalog",
  actions: {
    getShow: () => ({
      id: "s1", movieId: "m1", cinema: { id: "c1", city: "Testville", timezone: "UTC" }, startsAt: new Date(Date.now() + 86_400_000).toISOString(), currency: "INR", prices: { standard: 25000 },
      seats: ["A1", "A2", "A3"].map((id, i) => ({ id, row: "A", number: i + 1, column: i, category: "standard", forSale: true })),
    }),
  },
});

function slowProcessor(delayMs: number, refunds: unknown[]): ServiceSchema {
  const charged = new Map<string, number>();
  return {
    name: "payment",
    actions: {
      async pay(ctx) {
        await new Promise((r) => setTimeout(r, delayMs));
        const p = ctx.params as { bookingId: string; amount: number };
        charged.set(`pi_${p.bookingId}`, p.amount);
        return { status: "succeeded", paymentId: `pi_${p.bookingId}`, card: { brand: "visa", last4: "4242" } };
      },
      refund(ctx) {
        const p = ctx.params as { paymentId: string; amount: number };
        if (charged.get(p.paymentId) !== p.amount) throw new Error(`refund of ${p.amount} on ${p.paymentId}, which took ${charged.get(p.paymentId)}`);
        refunds.push(p);
        return { status: "succeeded", processorId: "re_1" };
      },
    },
  };
}

const alice: Caller = { id: "u-alice", email: "alice@example.com", name: "Alice", role: "customer" };
const CARD = "pm_card_visa";

test("money taken for seats whose hold ended during the charge is refunded at once and the booking says so", async (t) => {
  const refunds: unknown[] = [];
  const { broker } = await startBroker(t, [showActor, pricingService, adminService, catalog, () => slowProcessor(400, refunds)], { holdTtlMs: 150, paymentGraceMs: 0 });
  const meta = { caller: alice };
  const hold = await broker.call<{ id: string }, object>("admin.hold", { showId: "s1", seats: ["A1"] }, { meta });
  const booking = await broker.call<{ id: string; amount: number }, object>("admin.createBooking", { holdId: hold.id }, { meta });
  const error = await t.throwsAsync(broker.call("admin.pay", { bookingId: booking.id, paymentMethod: CARD }, { meta }));
  t.is((error as { code?: number }).code, 410);
  t.is(refunds.length, 1);
  const after = await broker.call<{ status: string; refund?: { amount: number }; reason?: string }, object>("admin.getBooking", { bookingId: booking.id }, { meta });
  t.is(after.status, "refunded");
  t.is(after.refund?.amount, booking.amount);
  t.regex(after.reason ?? "", /refunded/);
  const seats = await broker.call<{ seats: Record<string, string> }, object>("show.seats", { showId: "s1" });
  t.is(seats.seats.A1, "available");
});

test("a hold being paid for is extended once so a slow charge still confirms", async (t) => {
  const refunds: unknown[] = [];
  const { broker } = await startBroker(t, [showActor, pricingService, adminService, catalog, () => slowProcessor(300, refunds)], { holdTtlMs: 150, paymentGraceMs: 5_000 });
  const meta = { caller: alice };
  const hold = await broker.call<{ id: string }, object>("admin.hold", { showId: "s1", seats: ["A2"] }, { meta });
  const booking = await broker.call<{ id: string }, object>("admin.createBooking", { holdId: hold.id }, { meta });
  const paid = await broker.call<{ status: string }, object>("admin.pay", { bookingId: booking.id, paymentMethod: CARD }, { meta });
  t.is(paid.status, "confirmed");
  t.is(refunds.length, 0);
  const seats = await broker.call<{ seats: Record<string, string> }, object>("show.seats", { showId: "s1" });
  t.is(seats.seats.A2, "booked");
});

test("a hold cannot be released or replaced while its payment is in flight", async (t) => {
  const { broker } = await startBroker(t, [showActor, pricingService, adminService, catalog, () => slowProcessor(300, [])], { paymentGraceMs: 5_000 });
  const meta = { caller: alice };
  const hold = await broker.call<{ id: string }, object>("admin.hold", { showId: "s1", seats: ["A3"] }, { meta });
  const booking = await broker.call<{ id: string }, object>("admin.createBooking", { holdId: hold.id }, { meta });
  const paying = broker.call<{ status: string }, object>("admin.pay", { bookingId: booking.id, paymentMethod: CARD }, { meta });
  await new Promise((r) => setTimeout(r, 100));
  const release = await t.throwsAsync(broker.call("admin.releaseHold", { holdId: hold.id }, { meta }));
  t.is((release as { type?: string }).type, "HOLD_IN_PAYMENT");
  const replace = await t.throwsAsync(broker.call("admin.hold", { showId: "s1", seats: ["A1"] }, { meta }));
  t.is((replace as { type?: string }).type, "HOLD_IN_PAYMENT");
  t.is((await paying).status, "confirmed");
});
