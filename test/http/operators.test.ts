import test from "ava";
import { startServer } from "../helpers/http.ts";

const VISA = "pm_card_visa";

test("admins see a show's occupancy and revenue, force-expire a stuck hold and reprice a show; customers cannot", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const user = await api.customer();
  const showId = (await api.request("GET", "/api/shows")).body.find((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 86_400_000).id;

  const paidHold = await api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: ["B1", "B2"] } });
  const booking = await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: paidHold.body.id } });
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: user.token, body: { paymentMethod: VISA } })).status, 200);
  const other = await api.customer();
  const stuck = await api.request("POST", `/api/shows/${showId}/holds`, { token: other.token, body: { seats: ["B3"] } });

  const stats = await api.request("GET", `/api/admin/shows/${showId}/stats`, { token: admin });
  t.is(stats.status, 200);
  t.like(stats.body, { booked: 2, held: 1, bookings: 1, revenue: { INR: booking.body.amount } });

  t.is((await api.request("POST", `/api/admin/holds/${stuck.body.id}/expire`, { token: user.token })).status, 403);
  const expired = await api.request("POST", `/api/admin/holds/${stuck.body.id}/expire`, { token: admin });
  t.is(expired.status, 200);
  t.is(expired.body.status, "expired");
  t.is((await api.request("GET", `/api/holds/${stuck.body.id}`, { token: other.token })).body.status, "expired");
  t.like((await api.request("GET", `/api/admin/shows/${showId}/stats`, { token: admin })).body, { held: 0 });

  const repriced = await api.request("POST", `/api/admin/shows/${showId}/reprice`, { token: admin });
  t.is(repriced.status, 200);
  t.true(repriced.body.multiplier > 0);
  t.true((await api.request("GET", "/api/admin/pricing/audit", { token: admin })).body.some((e: { change: string; target: string }) => e.change === "show.reprice" && e.target === showId));
  t.is((await api.request("GET", `/api/admin/shows/${showId}/stats`, { token: user.token })).status, 403);
});
