import test from "ava";
import { startServer } from "../helpers/http.ts";
import { formatOnSaleSummary, onsaleViolated, simulateOnSale } from "../../scripts/simulate-onsale.ts";

test("a simulated on-sale sells every seat through the waiting room without selling any twice", async (t) => {
  t.timeout(120_000);
  const api = await startServer(t, { seedDemo: false, holdTtlMs: 20_000 });
  const summary = await simulateOnSale({ url: api.url, users: 120, seats: 30, prequeueSeconds: 3, lateShare: 0.2, windowSeconds: 60, thinkMs: 50, seed: 3 });
  t.log(formatOnSaleSummary(summary));
  t.deepEqual(summary.problems, []);
  t.true(summary.soldOut, "30 seats, 120 customers: it sells out");
  t.is(summary.seatsConfirmed, 30);
  t.is(summary.doubleBookings, 0);
  t.is(summary.seatsNotBooked + summary.bookedWithoutBooking, 0);
  t.false(onsaleViolated(summary));
  t.is(summary.holds.passRefused, 0, "admitted customers' passes are honoured");
  t.true(summary.admitted < summary.users, "nobody was let in for seats that were gone");
  t.true(summary.toldSoldOut > 0, "those still waiting were told it was sold out");
  t.true(Math.abs(summary.lotteryCorrelation) < 0.5);
  t.true(summary.prequeued > 60);
});

test("against a node that rations sign-ups, the simulation stops at once and names the setting to raise", async (t) => {
  const api = await startServer(t, { seedDemo: false, signupMaxPerAddress: 3 });
  // A simulator sleeping through the ration's Retry-After (an hour) would outlast the test's timeout.
  await t.throwsAsync(simulateOnSale({ url: api.url, users: 20, seats: 10, prequeueSeconds: 1, lateShare: 0, windowSeconds: 30, seed: 1 }), { message: /SIGNUP_THROTTLED.*SIGNUP_MAX_PER_ADDRESS=/ });
});
