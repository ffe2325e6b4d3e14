import test from "ava";
import { chargedTotal, chargesFor, INDIA_CINEMA_FEES } from "../../domain/pricing/fees.ts";
import { startServer, type Client } from "../helpers/http.ts";

async function firstShow(api: Client) {
  const show = await api.dayAheadShow();
  const seats = show.seats.filter((s: { status: string }) => s.status === "available").map((s: { id: string }) => s.id);
  return { showId: show.id as string, seats: seats as string[], show };
}

test("a customer holds available seats and gets a quote computed by the server", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const { showId, seats, show } = await firstShow(api);
  const res = await api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: seats.slice(0, 2), price: 1 } });
  t.is(res.status, 201);
  t.deepEqual(res.body.seats, seats.slice(0, 2));
  t.is(res.body.showId, showId);
  t.true(Date.parse(res.body.expiresAt) > Date.now());
  const held = show.seats.filter((s: { id: string }) => seats.slice(0, 2).includes(s.id));
  t.is(res.body.quote.charges.tickets, held.reduce((sum: number, s: { price: number }) => sum + s.price, 0));
  t.is(res.body.quote.total, chargedTotal(chargesFor(Object.fromEntries(held.map((s: { id: string; price: number }) => [s.id, s.price])), INDIA_CINEMA_FEES)));
  t.is(res.body.quote.currency, "INR");
  // Every held seat is explained, starting from its category's base price.
  t.deepEqual([...new Set(res.body.quote.lines.map((l: { seat: string }) => l.seat))], seats.slice(0, 2));
  for (const seat of seats.slice(0, 2)) t.true(res.body.quote.lines.some((l: { seat: string; factor: string }) => l.seat === seat && l.factor === "base"));

  const after = await api.request("GET", `/api/shows/${showId}`);
  const statuses = Object.fromEntries(after.body.seats.map((s: { id: string; status: string }) => [s.id, s.status]));
  t.is(statuses[seats[0]!], "held");
  t.is(statuses[seats[1]!], "held");
  t.is(statuses[seats[2]!], "available");
});

test("holding a seat someone else holds is a 409 naming each seat and why", async (t) => {
  const api = await startServer(t);
  const [a, b] = [await api.customer(), await api.customer()];
  const { showId, seats } = await firstShow(api);
  t.is((await api.request("POST", `/api/shows/${showId}/holds`, { token: a.token, body: { seats: [seats[0]] } })).status, 201);
  const res = await api.request("POST", `/api/shows/${showId}/holds`, { token: b.token, body: { seats: [seats[0], seats[1], "Z99"] } });
  t.is(res.status, 409);
  t.is(res.body.type, "SEAT_UNAVAILABLE");
  t.deepEqual(res.body.data.seats, [{ seat: seats[0], reason: "held" }, { seat: "Z99", reason: "unknown" }]);
  // All or nothing: the free seat was not held either.
  const after = await api.request("GET", `/api/shows/${showId}`);
  t.is(after.body.seats.find((s: { id: string }) => s.id === seats[1]).status, "available");
});

test("200 customers racing for the same seat: exactly one wins, 199 get a 409", async (t) => {
  const api = await startServer(t);
  const users = await Promise.all(Array.from({ length: 200 }, () => api.customer()));
  const { showId, seats } = await firstShow(api);
  const replies = await Promise.all(users.map((u) => api.request("POST", `/api/shows/${showId}/holds`, { token: u.token, body: { seats: [seats[5]] } })));
  const statuses = replies.map((r) => r.status);
  t.is(statuses.filter((s) => s === 201).length, 1);
  t.is(statuses.filter((s) => s === 409).length, 199);
  const winner = replies.find((r) => r.status === 201)!;
  const view = await api.request("GET", `/api/holds/${winner.body.id}`, { token: users[replies.indexOf(winner)]!.token });
  t.is(view.status, 200);
  t.is(view.body.status, "active");
});

test("a customer sees their own hold; someone else's hold is a 404", async (t) => {
  const api = await startServer(t);
  const [a, b] = [await api.customer(), await api.customer()];
  const { showId, seats } = await firstShow(api);
  const hold = await api.request("POST", `/api/shows/${showId}/holds`, { token: a.token, body: { seats: [seats[0]] } });
  t.is((await api.request("GET", `/api/holds/${hold.body.id}`, { token: a.token })).status, 200);
  t.is((await api.request("GET", `/api/holds/${hold.body.id}`, { token: b.token })).status, 404);
  t.is((await api.request("DELETE", `/api/holds/${hold.body.id}`, { token: b.token })).status, 404);
  t.is((await api.request("GET", `/api/holds/${hold.body.id}`)).status, 401);
});

test("a hold id that names no hold, or no show, is a 404 like any other hold that is not yours; an admin sees anyone's", async (t) => {
  const api = await startServer(t);
  const [user, admin] = [await api.customer(), await api.admin()];
  const { showId, seats } = await firstShow(api);
  const hold = await api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: [seats[0]] } });
  t.is(hold.status, 201);
  const made = `hold_${"0".repeat(32)}`;
  for (const holdId of [`${made}.${showId}`, `${made}.no-such-show`, "hold_nothing", "x".repeat(160)]) {
    for (const [method, path, body] of [["GET", `/api/holds/${encodeURIComponent(holdId)}`], ["DELETE", `/api/holds/${encodeURIComponent(holdId)}`], ["POST", "/api/bookings", { holdId }]] as const) {
      const res = await api.request(method, path, { token: user.token, ...(body ? { body } : {}) });
      t.is(res.status, 404, `${method} ${path} ${holdId}`);
      t.is(res.body.type, "HOLD_NOT_FOUND", `${method} ${path} ${holdId}`);
    }
  }
  const seen = await api.request("GET", `/api/holds/${hold.body.id}`, { token: admin });
  t.is(seen.status, 200);
  t.is(seen.body.id, hold.body.id);
  t.is((await api.request("DELETE", `/api/holds/${hold.body.id}`, { token: admin })).status, 204);
  t.is((await api.request("GET", `/api/holds/${hold.body.id}`, { token: user.token })).body.status, "released");
});

test("releasing a hold frees its seats for the next customer", async (t) => {
  const api = await startServer(t);
  const [a, b] = [await api.customer(), await api.customer()];
  const { showId, seats } = await firstShow(api);
  const hold = await api.request("POST", `/api/shows/${showId}/holds`, { token: a.token, body: { seats: [seats[0]] } });
  const del = await api.request("DELETE", `/api/holds/${hold.body.id}`, { token: a.token });
  t.is(del.status, 204);
  t.is((await api.request("GET", `/api/holds/${hold.body.id}`, { token: a.token })).body.status, "released");
  t.is((await api.request("POST", `/api/shows/${showId}/holds`, { token: b.token, body: { seats: [seats[0]] } })).status, 201);
});

test("a hold expires and frees its seats without any request", async (t) => {
  const api = await startServer(t, { holdTtlMs: 300 });
  const user = await api.customer();
  const { showId, seats } = await firstShow(api);
  const hold = await api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: [seats[0]] } });
  t.is(hold.status, 201);
  const expiresAt = Date.parse(hold.body.expiresAt);
  // Sleep past the deadline; reading the show does not run expiry, only the actor's timer does.
  await new Promise((r) => setTimeout(r, Math.max(0, expiresAt - Date.now()) + 250));
  const show = await api.request("GET", `/api/shows/${showId}`);
  t.is(show.body.seats.find((s: { id: string }) => s.id === seats[0]).status, "available");
  const view = await api.request("GET", `/api/holds/${hold.body.id}`, { token: user.token });
  t.is(view.body.status, "expired");
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.body.id } });
  t.true([409, 410].includes(booking.status));
});

test("a new hold on the same show replaces the customer's previous one", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const { showId, seats } = await firstShow(api);
  const first = await api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: [seats[0], seats[1]] } });
  const second = await api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: [seats[1], seats[2]] } });
  t.is(second.status, 201);
  t.is((await api.request("GET", `/api/holds/${first.body.id}`, { token: user.token })).body.status, "replaced");
  const show = await api.request("GET", `/api/shows/${showId}`);
  const status = (id: string) => show.body.seats.find((s: { id: string }) => s.id === id).status;
  t.deepEqual([status(seats[0]!), status(seats[1]!), status(seats[2]!)], ["available", "held", "held"]);
});

test("hold rules: duplicates, too many seats and no seats are 422", async (t) => {
  const api = await startServer(t, { maxSeatsPerHold: 3 });
  const user = await api.customer();
  const { showId, seats } = await firstShow(api);
  const post = (body: unknown) => api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body });
  const dup = await post({ seats: [seats[0], seats[0]] });
  t.is(dup.status, 422);
  t.is(dup.body.type, "DUPLICATE_SEATS");
  const many = await post({ seats: seats.slice(0, 4) });
  t.is(many.status, 422);
  t.is(many.body.type, "TOO_MANY_SEATS");
  t.is((await post({ seats: [] })).status, 422);
  t.is((await api.request("POST", `/api/shows/no-such-show/holds`, { token: user.token, body: { seats: ["A1"] } })).status, 404);
});
