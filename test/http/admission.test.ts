// At the door: admins make ushers; an usher admits a ticket by its QR payload or its code,
// exactly once across every door, and is told when and where it was let in before.
import test from "ava";
import { signTicket } from "../../domain/ticket/ticket.ts";
import { startServer } from "../helpers/http.ts";
import { paidTicket, usher } from "../helpers/door.ts";

test("only admins grant the usher role, and only ushers (or admins) admit tickets", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const { user, ticket } = await paidTicket(api, show);
  t.is((await api.request("PUT", "/api/admin/users/role", { token: user.token, body: { email: user.email, role: "usher" } })).status, 403);
  const u = await usher(api);
  t.is((await api.request("PUT", "/api/admin/users/role", { token: await api.admin(), body: { email: "admin@marquee.local", role: "usher" } })).status, 409, "admins keep their role");
  const tryAdmit = (token: string) => api.request("POST", `/api/shows/${show.id}/admissions`, { token, body: { code: ticket.code, door: "Door 1" } });
  t.is((await tryAdmit(user.token)).status, 403, "a customer cannot let themselves in");
  t.is((await tryAdmit(u.staleToken)).status, 403, "the role applies from the next sign-in");
  t.is((await tryAdmit(u.token)).status, 200);
});

test("a ticket is admitted once: the second scan, at any door, says when and where it got in", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const { user, ticket } = await paidTicket(api, show);
  const u = await usher(api);
  const first = await api.request("POST", `/api/shows/${show.id}/admissions`, { token: u.token, body: { payload: ticket.payload, door: "Door 2" } });
  t.is(first.status, 200, JSON.stringify(first.body));
  t.like(first.body, { admitted: true, code: ticket.code, seats: ticket.seats, door: "Door 2" });
  const second = await api.request("POST", `/api/shows/${show.id}/admissions`, { token: u.token, body: { code: ticket.code.toLowerCase(), door: "Door 1" } });
  t.is(second.status, 409);
  t.is(second.body.type, "TICKET_ALREADY_ADMITTED");
  t.regex(second.body.message, /^Already admitted at \d{2}:\d{2} by Door 2$/);
  const used = (await api.request("GET", `/api/bookings/${ticket.bookingId}/ticket`, { token: user.token })).body;
  t.like(used, { refundIfCancelled: 0, admitted: { door: "Door 2", at: first.body.at } }, "a used ticket shows where it got in and refunds nothing");
  const cancel = await api.request("POST", `/api/bookings/${ticket.bookingId}/cancel`, { token: user.token });
  t.is(cancel.status, 409);
  t.is(cancel.body.type, "TICKET_ALREADY_ADMITTED");
});

test("two doors scanning the same ticket at the same moment let it in once", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const { ticket } = await paidTicket(api, show);
  const u = await usher(api);
  const doors = await Promise.all(["Door 1", "Door 2", "Door 3", "Door 4"].map((door) =>
    api.request("POST", `/api/shows/${show.id}/admissions`, { token: u.token, body: { payload: ticket.payload, door } })));
  t.deepEqual(doors.map((d) => d.status).sort(), [200, 409, 409, 409]);
});

test("forged, altered, other-show and unknown tickets are refused at the door", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const { ticket } = await paidTicket(api, show);
  const u = await usher(api);
  const admit = (body: object, showId = show.id) => api.request("POST", `/api/shows/${showId}/admissions`, { token: u.token, body: { door: "Door 1", ...body } });
  const forged = signTicket({ bookingId: ticket.bookingId, showId: show.id, seats: ticket.seats }, "not-the-venue-key-0123456789abcdef");
  t.like((await admit({ payload: forged })).body, { code: 422, type: "TICKET_INVALID" });
  const [prefix, body, sig] = ticket.payload.split(".");
  const altered = `${prefix}.${Buffer.from(JSON.stringify({ b: ticket.bookingId, s: show.id, seats: ["A1", "A2", "A3"] })).toString("base64url")}.${sig}`;
  t.not(altered, `${prefix}.${body}.${sig}`);
  t.like((await admit({ payload: altered })).body, { code: 422, type: "TICKET_INVALID" });
  const other = (await api.request("GET", "/api/shows")).body.find((s: { id: string }) => s.id !== show.id);
  t.like((await admit({ payload: ticket.payload }, other.id)).body, { code: 409, type: "TICKET_OTHER_SHOW" });
  t.like((await admit({ code: "MQ-000000" })).body, { code: 404, type: "TICKET_NOT_FOUND" });
  t.like((await admit({ code: "hello" })).body, { code: 422, type: "INVALID_CODE" });
  t.like((await admit({ code: ticket.code })).body, { admitted: true }, "the genuine ticket still gets in");
});

test("the door page's QR decoder is the jsqr package, served from our own origin as a script", async (t) => {
  const api = await startServer(t);
  const res = await fetch(`${api.url}/vendor/jsqr.js`);
  t.is(res.status, 200);
  t.regex(res.headers.get("content-type") ?? "", /^text\/javascript/);
  t.is(res.headers.get("x-content-type-options"), "nosniff");
  t.regex(await res.text(), /jsQR/);
});
