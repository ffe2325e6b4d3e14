import test from "ava";
import { chargedTotal, chargesFor, INDIA_CINEMA_FEES } from "../../domain/pricing/fees.ts";
import { startServer, type Client } from "../helpers/http.ts";

const mumbaiShow = (api: Client) => api.dayAheadShow("?city=Mumbai");

test("a quote without a hold explains every factor on every seat", async (t) => {
  const api = await startServer(t);
  const show = await mumbaiShow(api);
  const [a, b] = show.seats.filter((s: { status: string }) => s.status === "available");
  const quote = await api.request("GET", `/api/shows/${show.id}/quote?seats=${a.id},${b.id}`);
  t.is(quote.status, 200);
  t.is(quote.body.currency, "INR");
  // The seats' prices, then GST per ticket and the convenience fee with its GST: India's default schedule.
  t.is(quote.body.charges.tickets, a.price + b.price);
  t.deepEqual(quote.body.charges.lines.map((l: { kind: string }) => l.kind).slice(-2), ["convenience_fee", "fee_gst"]);
  t.is(quote.body.total, chargedTotal(chargesFor({ [a.id]: a.price, [b.id]: b.price }, INDIA_CINEMA_FEES)));
  for (const seat of [a.id, b.id]) {
    const lines = quote.body.lines.filter((l: { seat: string }) => l.seat === seat);
    t.is(lines[0].factor, "base");
    const factors = lines.map((l: { factor: string }) => l.factor);
    t.true(factors.includes("city"), `Mumbai has a city multiplier: ${factors}`);
    t.true(factors.includes("demand"), `an empty show is discounted: ${factors}`);
    for (const line of lines.slice(1)) t.is(typeof line.reason, "string");
  }
});

test("a quote from inside a pricing zone names the zone", async (t) => {
  const api = await startServer(t);
  const show = await mumbaiShow(api);
  const seat = show.seats.find((s: { status: string }) => s.status === "available");
  const quote = await api.request("GET", `/api/shows/${show.id}/quote?seats=${seat.id}&lat=19.067&lon=72.867`);
  t.true(quote.body.lines.some((l: { factor: string; reason: string }) => l.factor === "zone" && l.reason.includes("Bandra Kurla")));
  const far = await api.request("GET", `/api/shows/${show.id}/quote?seats=${seat.id}&lat=18.52&lon=73.85`);
  t.false(far.body.lines.some((l: { factor: string }) => l.factor === "zone"));
});

test("the hold's quote is locked: a price change afterwards does not change what is charged", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const user = await api.customer();
  const show = await mumbaiShow(api);
  const seats = show.seats.filter((s: { status: string }) => s.status === "available").slice(0, 2).map((s: { id: string }) => s.id);
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats } });
  t.is(hold.status, 201);
  const categories = [...new Set(show.seats.map((s: { category: string }) => s.category))] as string[];
  const doubled = Object.fromEntries(categories.map((c) => [c, 200000]));
  const set = await api.request("PUT", "/api/admin/pricing/base-prices", { token: admin, body: { showId: show.id, prices: doubled } });
  t.is(set.status, 200, JSON.stringify(set.body));
  const after = await api.request("GET", `/api/shows/${show.id}/quote?seats=${seats.join(",")}`);
  t.true(after.body.total > hold.body.quote.total);
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.body.id } });
  t.is(booking.body.amount, hold.body.quote.total);
  const paid = await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: "pm_card_visa" } });
  t.is(paid.status, 200);
  t.is(paid.body.amount, hold.body.quote.total);
  t.deepEqual(paid.body.lines, hold.body.quote.lines);
  t.deepEqual(paid.body.charges, hold.body.quote.charges, "the receipt carries the hold's GST and fee lines");
});

test("admins set a city's GST and fee schedule: its quotes follow, other cities keep India's default, bad schedules are refused", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const user = await api.customer();
  const show = await mumbaiShow(api);
  const seat = show.seats.find((s: { status: string }) => s.status === "available");
  const flat = { feePerTicket: 0, feeGstBps: 0, ticketGst: [{ rateBps: 1_000 }] };
  const refused = await api.request("PUT", "/api/admin/pricing/fees", { token: admin, body: { default: INDIA_CINEMA_FEES, cities: { Mumbai: { ...flat, ticketGst: [{ upTo: 100, rateBps: 5 }] } } } });
  t.is(refused.status, 422);
  t.is(refused.body.type, "INVALID_FEES");
  const forbidden = await api.request("PUT", "/api/admin/pricing/fees", { token: user.token, body: { default: flat } });
  t.is(forbidden.status, 403);
  const set = await api.request("PUT", "/api/admin/pricing/fees", { token: admin, body: { default: INDIA_CINEMA_FEES, cities: { Mumbai: flat } } });
  t.is(set.status, 200, JSON.stringify(set.body));
  const quote = await api.request("GET", `/api/shows/${show.id}/quote?seats=${seat.id}`);
  t.deepEqual(quote.body.charges.lines, [{ kind: "ticket_gst", rateBps: 1_000, on: seat.price, amount: Math.floor((seat.price * 1_000 + 5_000) / 10_000), seats: [seat.id] }]);
  const elsewhere = await api.dayAheadShow("?city=Bengaluru");
  const other = elsewhere.seats.find((s: { status: string }) => s.status === "available");
  const otherQuote = await api.request("GET", `/api/shows/${elsewhere.id}/quote?seats=${other.id}`);
  t.is(otherQuote.body.total, chargedTotal(chargesFor({ [other.id]: other.price }, INDIA_CINEMA_FEES)));
  const audit = await api.request("GET", "/api/admin/pricing/audit", { token: admin });
  t.true(audit.body.some((e: { change: string }) => e.change === "fees.set"));
});

test("admins add a festival, the show's prices follow, and the change is audited", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await mumbaiShow(api);
  const before = show.seats.find((s: { status: string }) => s.status === "available");
  const day = show.localDate;
  const festival = { name: "Marquee Day", from: day, to: day, multiplier: 1.5, cities: ["Mumbai"] };
  const put = await api.request("PUT", "/api/admin/pricing/festivals/marquee-day", { token: admin, body: festival });
  t.is(put.status, 201, JSON.stringify(put.body));
  const after = (await api.request("GET", `/api/shows/${show.id}`)).body.seats.find((s: { id: string }) => s.id === before.id);
  t.true(after.price > before.price, `${after.price} > ${before.price}`);
  const quote = await api.request("GET", `/api/shows/${show.id}/quote?seats=${before.id}`);
  t.true(quote.body.lines.some((l: { factor: string; reason: string }) => l.factor === "festival" && l.reason.includes("Marquee Day")));

  const audit = await api.request("GET", "/api/admin/pricing/audit", { token: admin });
  t.is(audit.status, 200);
  t.is(audit.body[0].change, "festivals.create");
  t.is(audit.body[0].by, api.marquee.config.adminEmail);
  t.is(audit.body[0].old, null);
  t.is(audit.body[0].new.multiplier, 1.5);

  t.is((await api.request("DELETE", "/api/admin/pricing/festivals/marquee-day", { token: admin })).status, 204);
  t.is((await api.request("GET", "/api/admin/pricing/audit", { token: admin })).body[0].change, "festivals.delete");
});

test("pricing administration needs the admin role and valid rules", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const user = await api.customer();
  t.is((await api.request("GET", "/api/admin/pricing/rules", { token: user.token })).status, 403);
  t.is((await api.request("GET", "/api/admin/pricing/rules")).status, 401);
  const bad = await api.request("PUT", "/api/admin/pricing/festivals/x", { token: admin, body: { name: "X", from: "2026-13-45", to: "2026-01-01", multiplier: -1 } });
  t.is(bad.status, 422);
  const rails = await api.request("PUT", "/api/admin/pricing/guard-rails", { token: admin, body: { rails: { floor: 1.5, ceiling: 1.2, maxChangePerHour: 0.1, roundTo: 500 } } });
  t.is(rails.status, 422);
  t.is((await api.request("PUT", "/api/admin/pricing/planets/x", { token: admin, body: {} })).status, 422);
});

test("simulating a booking curve shows prices rising with demand, inside the guard rails", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await mumbaiShow(api);
  const curve = [
    { hoursBefore: 72, occupancy: 0.05 }, { hoursBefore: 48, occupancy: 0.2 }, { hoursBefore: 24, occupancy: 0.5 },
    { hoursBefore: 12, occupancy: 0.75 }, { hoursBefore: 6, occupancy: 0.9 }, { hoursBefore: 2, occupancy: 0.98 },
  ];
  const sim = await api.request("POST", "/api/admin/pricing/simulate", { token: admin, body: { showId: show.id, curve } });
  t.is(sim.status, 200, JSON.stringify(sim.body));
  const multipliers = sim.body.steps.map((s: { multiplier: number }) => s.multiplier);
  t.is(multipliers.length, 6);
  t.true(multipliers.at(-1) > multipliers[0]);
  for (const m of multipliers) t.true(m >= 0.7 && m <= 2);
  for (let i = 1; i < multipliers.length; i++) {
    const hours = curve[i - 1]!.hoursBefore - curve[i]!.hoursBefore;
    t.true(Math.abs(multipliers[i] - multipliers[i - 1]) <= multipliers[i - 1] * 0.1 * hours + 1e-3);
  }
});
