import test from "ava";
import { startServer, type Client } from "../helpers/http.ts";
import { readEvents } from "../helpers/sse.ts";

const VISA = "pm_card_visa";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A show on a screen of `seats` seats, two days out. */
async function smallShow(api: Client, admin: string, seats: number): Promise<{ id: string; seats: string[] }> {
  const movie = await api.request("POST", "/api/admin/movies", { token: admin, body: { title: `Blockbuster ${Date.now()}`, durationMinutes: 150, rating: "U", languages: ["Hindi"], genres: ["Action"] } });
  const cinema = await api.request("POST", "/api/admin/cinemas", { token: admin, body: { name: `Hall ${Date.now()}`, city: "Pune", timezone: "Asia/Kolkata", screens: [{ name: "1", layout: { rows: [{ row: "A", category: "standard", seats: "s".repeat(seats) }] } }] } });
  const show = await api.request("POST", "/api/admin/shows", { token: admin, body: { movieId: movie.body.id, cinemaId: cinema.body.id, screenId: cinema.body.screens[0].id, startsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(), prices: { standard: 10000 } } });
  if (show.status !== 201) throw new Error(`show: ${show.status} ${JSON.stringify(show.body)}`);
  return { id: show.body.id, seats: (await api.request("GET", `/api/shows/${show.body.id}`)).body.seats.map((s: { id: string }) => s.id) };
}

/** An on-sale for these shows opening `inMs` from now. */
async function onsale(api: Client, admin: string, shows: string[], fields: Record<string, unknown> = {}, inMs = 0) {
  const res = await api.request("POST", "/api/admin/onsales", { token: admin, body: { shows, opensAt: new Date(Date.now() + inMs).toISOString(), admissionRate: 600, finishWithinSeconds: 600, maxTicketsPerAccount: 4, ...fields } });
  if (res.status !== 201) throw new Error(`on-sale: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const tick = (api: Client) => api.marquee.broker.call("onsale.tick");

/** Ticks until one of the customers' position has this status: that customer and their position. */
async function until<C extends { token: string }>(api: Client, onsaleId: string, customers: C | C[], status: string, tries = 40) {
  for (let i = 0; i < tries; i++) {
    await tick(api);
    for (const c of [customers].flat()) {
      const res = await api.request("GET", `/api/onsales/${onsaleId}/queue`, { token: c.token });
      if (res.body.status === status) return { c, body: res.body };
    }
    await sleep(300);
  }
  throw new Error(`never reached ${status}`);
}

test("admins schedule and list on-sales; customers cannot; bad requests name the field", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const customer = await api.customer();
  const show = await api.dayAheadShow();
  const body = { shows: [show.id], opensAt: new Date(Date.now() + 60_000).toISOString(), admissionRate: "automatic", finishWithinSeconds: 300, maxTicketsPerAccount: 6 };
  t.is((await api.request("POST", "/api/admin/onsales", { body })).status, 401);
  t.is((await api.request("POST", "/api/admin/onsales", { token: customer.token, body })).status, 403);
  t.is((await api.request("GET", "/api/admin/onsales", { token: customer.token })).status, 403);
  const bad = await api.request("POST", "/api/admin/onsales", { token: admin, body: { ...body, finishWithinSeconds: 1 } });
  t.is(bad.status, 422);
  t.is(bad.body.data.field, "finishWithinSeconds");
  t.is((await api.request("POST", "/api/admin/onsales", { token: admin, body: { ...body, admissionRate: "fast" } })).status, 422);
  const unknown = await api.request("POST", "/api/admin/onsales", { token: admin, body: { ...body, shows: ["no-such-show"] } });
  t.is(unknown.status, 422);
  t.is(unknown.body.type, "UNKNOWN_SHOW");

  const made = await api.request("POST", "/api/admin/onsales", { token: admin, body });
  t.is(made.status, 201);
  t.like(made.body, { shows: [show.id], admissionRate: "automatic", finishWithinSeconds: 300, maxTicketsPerAccount: 6, queueUrl: `/api/onsales/${made.body.id}/queue` });
  t.is(made.headers.get("location"), `/api/onsales/${made.body.id}`);
  const twice = await api.request("POST", "/api/admin/onsales", { token: admin, body });
  t.is(twice.status, 409);
  t.is(twice.body.type, "ONSALE_EXISTS");
  const listed = await api.request("GET", "/api/admin/onsales", { token: admin });
  t.is(listed.status, 200);
  t.deepEqual(listed.body.map((o: { id: string }) => o.id), [made.body.id]);
  t.is((await api.request("GET", `/api/onsales/${made.body.id}`)).body.status, "scheduled");
  t.is((await api.request("GET", "/api/onsales/ons_nope")).status, 404);
});

test("while an on-sale is in force a hold without a valid pass is 403 QUEUE_PASS_REQUIRED with the queue's URL; other shows sell as today", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const customer = await api.customer();
  const show = await api.dayAheadShow();
  const other = (await api.request("GET", "/api/shows")).body.find((s: { id: string; startsAt: string }) => s.id !== show.id && Date.parse(s.startsAt) > Date.now() + 86_400_000);
  const sale = await onsale(api, admin, [show.id], {}, 60_000);
  for (const queuePass of [undefined, "forged.pass.value"]) {
    const refused = await api.request("POST", `/api/shows/${show.id}/holds`, { token: customer.token, body: { seats: [show.seats[0].id], ...(queuePass ? { queuePass } : {}) } });
    t.is(refused.status, 403);
    t.is(refused.body.type, "QUEUE_PASS_REQUIRED");
    t.is(refused.body.data.queueUrl, `/api/onsales/${sale.id}/queue`);
  }
  const otherSeats = (await api.request("GET", `/api/shows/${other.id}`)).body.seats;
  t.is((await api.request("POST", `/api/shows/${other.id}/holds`, { token: customer.token, body: { seats: [otherSeats[0].id] } })).status, 201);
});

test("customers who join before the opening wait with a countdown, one place per account however many tabs join at once, and get a place at the opening", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await api.dayAheadShow();
  const sale = await onsale(api, admin, [show.id], { admissionRate: 1 }, 1_500);
  const [ada, bob] = [await api.customer(), await api.customer()];
  const tabs = await Promise.all(Array.from({ length: 20 }, () => api.request("POST", `/api/onsales/${sale.id}/queue`, { token: ada.token })));
  t.deepEqual(tabs.map((r) => r.status).sort((a, b) => a - b), [...new Array(19).fill(200), 201], "one tab joined, the others found the place");
  t.like(tabs[0]!.body, { status: "prequeue", opensAt: sale.opensAt });
  t.is((await api.request("POST", `/api/onsales/${sale.id}/queue`, { token: bob.token })).status, 201);
  t.is((await api.request("GET", `/api/onsales/${sale.id}/queue`)).status, 401);
  const carol = await api.customer();
  t.is((await api.request("GET", `/api/onsales/${sale.id}/queue`, { token: carol.token })).body.status, "not_in_queue");

  await sleep(2_700);
  await tick(api);
  const positions = await Promise.all([ada, bob].map((c) => api.request("GET", `/api/onsales/${sale.id}/queue`, { token: c.token })));
  t.deepEqual(positions.map((p) => p.body.place).sort(), [1, 2], "two customers, two places");
  t.is(positions[0]!.body.queueLength, 2);
  const late = await api.request("POST", `/api/onsales/${sale.id}/queue`, { token: carol.token });
  t.is(late.status, 201);
  await tick(api);
  t.is((await api.request("GET", `/api/onsales/${sale.id}/queue`, { token: carol.token })).body.place, 3, "a later arrival joins behind");
});

test("an admitted customer holds with their pass; another account's pass is refused; the ticket limit holds across holds and bookings", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await smallShow(api, admin, 12);
  const sale = await onsale(api, admin, [show.id], { maxTicketsPerAccount: 4 });
  const [ada, bob] = [await api.customer(), await api.customer()];
  for (const c of [ada, bob]) await api.request("POST", `/api/onsales/${sale.id}/queue`, { token: c.token });
  const { body: admitted } = await until(api, sale.id, ada, "admitted");
  t.truthy(admitted.pass);
  t.true(Date.parse(admitted.passExpiresAt) > Date.now());

  const hold = (token: string, seats: string[], queuePass?: string) => api.request("POST", `/api/shows/${show.id}/holds`, { token, body: { seats, ...(queuePass ? { queuePass } : {}) } });
  const stolen = await hold(bob.token, [show.seats[0]!], admitted.pass);
  t.is(stolen.status, 403);
  t.is(stolen.body.data.reason, "other_account");

  const tooMany = await hold(ada.token, show.seats.slice(0, 5), admitted.pass);
  t.is(tooMany.status, 422);
  t.is(tooMany.body.type, "TICKET_LIMIT");
  const first = await hold(ada.token, show.seats.slice(0, 3), admitted.pass);
  t.is(first.status, 201);
  const booking = await api.request("POST", "/api/bookings", { token: ada.token, body: { holdId: first.body.id } });
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: ada.token, body: { paymentMethod: VISA } })).status, 200);
  const more = await hold(ada.token, show.seats.slice(3, 5), admitted.pass);
  t.is(more.status, 422, "3 booked + 2 more is over 4");
  t.like(more.body.data, { max: 4, booked: 3 });
  t.is((await hold(ada.token, show.seats.slice(3, 4), admitted.pass)).status, 201, "3 booked + 1 is fine");
});

test("an on-sale whose seats are all held pauses; when the holds lapse admission resumes; when they are booked everyone waiting is told it is sold out", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await smallShow(api, admin, 2);
  // Automatic admission: 2 seats serve one customer at a time.
  const sale = await onsale(api, admin, [show.id], { admissionRate: "automatic", maxTicketsPerAccount: 2, finishWithinSeconds: 30 });
  const customers = [await api.customer(), await api.customer(), await api.customer()];
  for (const c of customers) await api.request("POST", `/api/onsales/${sale.id}/queue`, { token: c.token });
  await tick(api);
  await sleep(1_200);
  await tick(api);
  const standing = await Promise.all(customers.map((c) => api.request("GET", `/api/onsales/${sale.id}/queue`, { token: c.token })));
  const first = standing.findIndex((r) => r.body.status === "admitted");
  t.not(first, -1);
  t.is(standing.filter((r) => r.body.status === "admitted").length, 1, "two seats, one customer let in");
  const winner = customers[first]!;
  const held = await api.request("POST", `/api/shows/${show.id}/holds`, { token: winner.token, body: { seats: show.seats, queuePass: standing[first]!.body.pass } });
  t.is(held.status, 201);
  const waiting = customers.filter((_, i) => i !== first);
  await tick(api);
  await sleep(300);
  const paused = await api.request("GET", `/api/onsales/${sale.id}/queue`, { token: waiting[0]!.token });
  t.like(paused.body, { status: "waiting", estimatedWaitSeconds: null, seatsLeft: 0 });

  // The hold lapses (an operator ends it here): the seats come back and the next customer is let in.
  t.is((await api.request("POST", `/api/admin/holds/${held.body.id}/expire`, { token: admin })).status, 200);
  const next = await until(api, sale.id, waiting, "admitted");
  t.truthy(next.body.pass);

  const rehold = await api.request("POST", `/api/shows/${show.id}/holds`, { token: next.c.token, body: { seats: show.seats, queuePass: next.body.pass } });
  t.is(rehold.status, 201);
  const booking = await api.request("POST", "/api/bookings", { token: next.c.token, body: { holdId: rehold.body.id } });
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: next.c.token, body: { paymentMethod: VISA } })).status, 200);
  const last = waiting.find((c) => c !== next.c)!;
  const { body: sold } = await until(api, sale.id, last, "sold_out");
  t.is(sold.seatsLeft, 0);
  t.like((await api.request("GET", `/api/onsales/${sale.id}/queue`, { token: winner.token })).body, { status: "sold_out" }, "everyone is told, at once");
});

test("the queue page hears the on-sale's state over server-sent events, and each customer works out their place from it", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await smallShow(api, admin, 8);
  const sale = await onsale(api, admin, [show.id], { admissionRate: "automatic", maxTicketsPerAccount: 2 });
  const stream = await fetch(`${api.url}/api/onsales/${sale.id}/queue/events`);
  t.is(stream.status, 200);
  t.regex(stream.headers.get("content-type") ?? "", /text\/event-stream/);
  const customers = [];
  for (let i = 0; i < 6; i++) customers.push(await api.customer());
  const watching = readEvents(stream, (frames) => frames.some((f) => f.data.admitted === 4), 8_000);
  for (const c of customers) await api.request("POST", `/api/onsales/${sale.id}/queue`, { token: c.token });
  await sleep(1_100);
  await tick(api);
  const frames = await watching;
  t.is(frames[0]!.event, "queue");
  t.is(frames[0]!.data.onsaleId, sale.id);
  const last = frames.at(-1)!.data;
  t.like(last, { status: "open", admitted: 4, queueLength: 6, seatsLeft: 8 }, "8 seats at 2 a customer let 4 in");
  t.true(JSON.stringify(last).length < 400, "a few hundred bytes per event");
  const waiting = await api.request("GET", `/api/onsales/${sale.id}/queue`, { token: customers[0]!.token });
  t.true(waiting.body.eventsUrl.endsWith(`/api/onsales/${sale.id}/queue/events`));
  t.is((await fetch(`${api.url}/api/onsales/ons_missing/queue/events`)).status, 404);
});
