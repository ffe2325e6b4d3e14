import test from "ava";
import { chargedTotal, chargesFor, INDIA_CINEMA_FEES } from "../../domain/pricing/fees.ts";
import { startServer } from "../helpers/http.ts";

test("health answers ok with the node id", async (t) => {
  const api = await startServer(t);
  const res = await api.request("GET", "/api/health");
  t.is(res.status, 200);
  t.is(res.body.status, "ok");
  t.is(res.body.nodeID, api.marquee.broker.nodeID);
});

test("registering, logging in and asking who I am", async (t) => {
  const api = await startServer(t);
  const reg = await api.request("POST", "/api/auth/register", { body: { email: "Ada@Example.com", password: "analytical engine", name: "Ada", role: "admin" } });
  t.is(reg.status, 201);
  t.is(reg.body.user.email, "ada@example.com");
  t.is(reg.body.user.role, "customer");
  const login = await api.request("POST", "/api/auth/login", { body: { email: "ada@example.com", password: "analytical engine" } });
  t.is(login.status, 200);
  const me = await api.request("GET", "/api/me", { token: login.body.token });
  t.is(me.status, 200);
  t.is(me.body.name, "Ada");
  t.is((await api.request("POST", "/api/auth/register", { body: { email: "ada@example.com", password: "another one!", name: "Eve" } })).status, 409);
  t.is((await api.request("GET", "/api/me")).status, 401);
  t.is((await api.request("GET", "/api/me", { token: "not-a-token" })).status, 401);
  t.is((await api.request("GET", "/api/me", { headers: { authorization: "Basic abc" } })).status, 401);
});

test("a request with invalid fields is refused with 422 naming each field and what is wrong with it", async (t) => {
  const api = await startServer(t);
  const r = await api.request("POST", "/api/auth/register", { body: { email: "not an email", password: 12345 } });
  t.is(r.status, 422);
  t.is(r.body.type, "VALIDATION_ERROR");
  t.deepEqual(r.body.data.map((p: { field: string }) => p.field).sort(), ["email", "name", "password"]);
  for (const field of ["email", "name", "password"]) t.true(r.body.message.includes(`'${field}'`), `the message names ${field}: ${r.body.message}`);
  t.false(JSON.stringify(r.body).includes("nodeID"), "which node checked it is not the client's business");
});

test("too many failed logins for an account are throttled with 429 and Retry-After", async (t) => {
  const api = await startServer(t, { loginMaxPerAccount: 3 });
  const user = await api.customer();
  const attempts = [];
  for (let i = 0; i < 4; i++) attempts.push(await api.request("POST", "/api/auth/login", { body: { email: user.email, password: "wrong password" } }));
  t.deepEqual(attempts.map((a) => a.status), [401, 401, 401, 429]);
  t.regex(attempts[3]!.headers.get("retry-after") ?? "", /^\d+$/);
  t.is(attempts[3]!.body.type, "LOGIN_THROTTLED");
});

test("admin routes need the admin role", async (t) => {
  const api = await startServer(t);
  const customer = await api.customer();
  const admin = await api.admin();
  const movie = { title: "The Long Intermission", durationMinutes: 124, rating: "UA", languages: ["Hindi"], genres: ["Drama"] };
  t.is((await api.request("POST", "/api/admin/movies", { body: movie })).status, 401);
  t.is((await api.request("POST", "/api/admin/movies", { token: customer.token, body: movie })).status, 403);
  const created = await api.request("POST", "/api/admin/movies", { token: admin, body: movie });
  t.is(created.status, 201);
  t.is(created.headers.get("location"), `/api/movies/${created.body.id}`);
  const fetched = await api.request("GET", `/api/movies/${created.body.id}`);
  t.is(fetched.body.title, movie.title);
  const listed = await api.request("GET", "/api/movies");
  t.true(listed.body.some((m: { id: string }) => m.id === created.body.id));
  t.true(listed.body.length >= 7, "the six demo movies and the new one");
});

test("the certificates clients are offered are exactly those a new movie may carry", async (t) => {
  const api = await startServer(t, { seedDemo: false });
  const admin = await api.admin();
  const ratings = await api.request("GET", "/api/ratings");
  t.is(ratings.status, 200);
  t.true(ratings.body.includes("UA 13+"), "the 2024 age bands of UA are offered");
  for (const rating of ratings.body as string[]) {
    const movie = await api.request("POST", "/api/admin/movies", { token: admin, body: { title: `Rated ${rating}`, durationMinutes: 90, rating, languages: ["Hindi"] } });
    t.is(movie.status, 201, `${rating}: ${JSON.stringify(movie.body)}`);
  }
  const unrated = await api.request("POST", "/api/admin/movies", { token: admin, body: { title: "Unrated", durationMinutes: 90, rating: "PG-13", languages: ["English"] } });
  t.is(unrated.status, 422);
});

test("an admin creates a cinema and a show that customers can then book", async (t) => {
  const api = await startServer(t, { seedDemo: false });
  const admin = await api.admin();
  const movie = await api.request("POST", "/api/admin/movies", { token: admin, body: { title: "Reel One", durationMinutes: 100, rating: "U", languages: ["English"], genres: ["Comedy"] } });
  const cinema = await api.request("POST", "/api/admin/cinemas", {
    token: admin,
    body: {
      name: "Test Palace", city: "Pune", timezone: "Asia/Kolkata",
      screens: [{ name: "Screen 1", layout: { rows: [{ row: "A", category: "standard", seats: "ss_ss" }, { row: "B", category: "premium", seats: "ssxs" }] } }],
    },
  });
  t.is(cinema.status, 201, JSON.stringify(cinema.body));
  const startsAt = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const show = await api.request("POST", "/api/admin/shows", {
    token: admin,
    body: { movieId: movie.body.id, cinemaId: cinema.body.id, screenId: cinema.body.screens[0].id, startsAt, prices: { standard: 20000, premium: 30000 } },
  });
  t.is(show.status, 201, JSON.stringify(show.body));
  const listed = await api.request("GET", "/api/shows?city=Pune");
  t.deepEqual(listed.body.map((s: { id: string }) => s.id), [show.body.id]);
  const details = await api.request("GET", `/api/shows/${show.body.id}`);
  t.deepEqual(details.body.seats.map((s: { id: string; status: string }) => `${s.id}:${s.status}`), ["A1:available", "A2:available", "A3:available", "A4:available", "B1:available", "B2:available", "B3:not_for_sale", "B4:available"]);
  const customer = await api.customer();
  const notForSale = await api.request("POST", `/api/shows/${show.body.id}/holds`, { token: customer.token, body: { seats: ["B3"] } });
  t.is(notForSale.status, 409);
  t.deepEqual(notForSale.body.data.seats, [{ seat: "B3", reason: "not_for_sale" }]);
  const hold = await api.request("POST", `/api/shows/${show.body.id}/holds`, { token: customer.token, body: { seats: ["A1", "B1"] } });
  t.is(hold.status, 201);
  const price = (id: string) => details.body.seats.find((s: { id: string }) => s.id === id).price;
  t.is(hold.body.quote.charges.tickets, price("A1") + price("B1"));
  t.is(hold.body.quote.total, chargedTotal(chargesFor({ A1: price("A1"), B1: price("B1") }, INDIA_CINEMA_FEES)));
});

test("a show that has started takes no more holds", async (t) => {
  const api = await startServer(t, { seedDemo: false });
  const admin = await api.admin();
  const movie = await api.request("POST", "/api/admin/movies", { token: admin, body: { title: "Late", durationMinutes: 90, rating: "U", languages: ["English"], genres: ["Drama"] } });
  const cinema = await api.request("POST", "/api/admin/cinemas", { token: admin, body: { name: "Now Cinema", city: "Delhi", timezone: "Asia/Kolkata", screens: [{ name: "S", layout: { rows: [{ row: "A", category: "standard", seats: "ssss" }] } }] } });
  const show = await api.request("POST", "/api/admin/shows", { token: admin, body: { movieId: movie.body.id, cinemaId: cinema.body.id, screenId: cinema.body.screens[0].id, startsAt: new Date(Date.now() - 60_000).toISOString(), prices: { standard: 10000 } } });
  t.is(show.status, 201, JSON.stringify(show.body));
  const customer = await api.customer();
  const hold = await api.request("POST", `/api/shows/${show.body.id}/holds`, { token: customer.token, body: { seats: ["A1"] } });
  t.is(hold.status, 409);
  t.is(hold.body.type, "SHOW_STARTED");
});

test("malformed and hostile input gets a clear 4xx and the server stays healthy", async (t) => {
  const api = await startServer(t);
  const user = await api.customer();
  const shows = await api.request("GET", "/api/shows");
  const showId = shows.body[0].id;
  const token = user.token;
  const cases: [string, string, { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> }][] = [
    ["POST", "/api/auth/register", { raw: "{not json" }],
    ["POST", "/api/auth/register", { raw: "[]" }],
    ["POST", "/api/auth/register", { raw: "null" }],
    ["POST", "/api/auth/register", { body: { email: 42, password: ["x"], name: { $ne: 1 } } }],
    ["POST", "/api/auth/register", { body: { email: "a@b.co", password: "x".repeat(100_000), name: "big" } }],
    ["POST", "/api/auth/login", { body: { email: "nobody@example.com" } }],
    ["POST", "/api/auth/login", { body: { __proto__: { admin: true }, email: "x@y.z", password: "aaaaaaaaa" } }],
    ["POST", `/api/shows/${showId}/holds`, { token, body: { seats: "A1" } }],
    ["POST", `/api/shows/${showId}/holds`, { token, body: { seats: [1, 2] } }],
    ["POST", `/api/shows/${showId}/holds`, { token, body: { seats: ["A1'; DROP TABLE seats;--"] } }],
    ["POST", `/api/shows/${showId}/holds`, { token, body: { seats: Array.from({ length: 5000 }, (_, i) => `A${i}`) } }],
    ["POST", `/api/shows/${"x".repeat(500)}/holds`, { token, body: { seats: ["A1"] } }],
    ["POST", "/api/bookings", { token, body: { holdId: { $gt: "" } } }],
    ["POST", "/api/bookings", { token, body: {} }],
    ["POST", "/api/bookings/nope/pay", { token, body: { card: "4242424242424242" } }],
    ["POST", "/api/bookings/nope/pay", { token, body: { card: { number: "4242424242424242", expMonth: "twelve", expYear: 2030, cvc: "123" } } }],
    ["GET", "/api/shows?date[$gt]=2020-01-01", {}],
    ["GET", "/api/shows?city=a&city=b", {}],
    ["GET", "/api/movies/%E0%A4%A", {}],
    ["GET", "/api/no/such/route", {}],
    ["DELETE", "/api/holds/", { token }],
    ["POST", "/api/auth/register", { raw: "{\"email\":\"a@b.co\"}", headers: { "content-type": "text/plain" } }],
    ["POST", "/api/auth/register", { raw: JSON.stringify({ email: "a@b.co", pad: "x".repeat(200_000) }) }],
    ["GET", "/api/shows/%00%3Cscript%3E/events", {}],
    ["GET", `/api/shows/${"y".repeat(300)}/events`, { headers: { "last-event-id": "-1" } }],
    ["GET", `/api/shows/${showId}/quote?seats=${"A1,".repeat(3000)}`, {}],
    ["GET", `/api/shows/${showId}/quote?lat=north&lon=1`, {}],
    ["POST", "/api/admin/holds/nope/expire", { token }],
    ["GET", `/api/admin/shows/${showId}/stats`, { token }],
    ["PUT", "/api/admin/pricing/festivals/x", { token, body: { name: "x" } }],
    ["GET", "/api/me/bookings", { headers: { authorization: "Bearer not.a.token" } }],
    ["GET", "/api/me", { headers: { authorization: `Bearer ${"a".repeat(5000)}` } }],
  ];
  for (const [method, path, options] of cases) {
    const res = await api.request(method, path, options);
    t.true(res.status >= 400 && res.status < 500, `${method} ${path} ${options.raw?.slice(0, 40) ?? JSON.stringify(options.body)?.slice(0, 60)} -> ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    // Every refusal is a JSON error a client can act on, whichever layer refused it.
    t.true(res.body !== null && typeof res.body === "object", `${method} ${path} answered ${JSON.stringify(res.body)?.slice(0, 200)}`);
    t.is(typeof res.body.message, "string");
    t.is(typeof res.body.type, "string");
    t.is(res.body.code, res.status);
  }
  const health = await api.request("GET", "/api/health");
  t.is(health.status, 200);
});
