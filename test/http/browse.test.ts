// What browsing needs from the API: posters (generated for the demo films, uploaded by admins
// under size and type checks, served with their type and nosniff) and showtime chips with the
// "from" price and how full each show is.
import test from "ava";
import { MAX_POSTER_BYTES } from "../../domain/catalog/poster.ts";
import { startServer, type Client } from "../helpers/http.ts";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

async function raw(api: Client, path: string) {
  const res = await fetch(api.url + path);
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

test("a demo film has a generated SVG poster, served as an image that nothing may sniff or script", async (t) => {
  const api = await startServer(t);
  const poster = await raw(api, "/api/movies/movie-rocket-chai/poster");
  t.is(poster.status, 200);
  t.is(poster.headers.get("content-type"), "image/svg+xml; charset=utf-8");
  t.is(poster.headers.get("x-content-type-options"), "nosniff");
  t.regex(poster.headers.get("content-security-policy") ?? "", /default-src 'none'.*sandbox/);
  t.regex(poster.bytes.toString(), /^<svg [^>]*aria-label="Rocket Chai"/);
  t.is((await raw(api, "/api/movies/movie-nope/poster")).status, 404);
});

test("an admin uploads a PNG poster that is then served as image/png; SVG, oversized and customer uploads are refused", async (t) => {
  const api = await startServer(t);
  const admin = await api.admin();
  const customer = await api.customer();
  const put = (token: string, bytes: Buffer, movie = "movie-rocket-chai") => api.request("PUT", `/api/admin/posters/${movie}`, { token, body: { image: bytes.toString("base64") } });

  const svg = await put(admin, Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`));
  t.is(svg.status, 422);
  t.is(svg.body.type, "POSTER_TYPE");
  const big = Buffer.concat([PNG, Buffer.alloc(MAX_POSTER_BYTES)]);
  const tooBig = await put(admin, big);
  t.is(tooBig.status, 413);
  t.is(tooBig.body.type, "POSTER_TOO_LARGE");
  t.is((await put(customer.token, PNG)).status, 403);
  t.is((await put(admin, PNG, "movie-nope")).status, 404);

  const ok = await put(admin, PNG);
  t.is(ok.status, 200, JSON.stringify(ok.body));
  t.like(ok.body, { contentType: "image/png", bytes: PNG.length });
  const poster = await raw(api, "/api/movies/movie-rocket-chai/poster");
  t.is(poster.headers.get("content-type"), "image/png");
  t.is(poster.headers.get("x-content-type-options"), "nosniff");
  t.true(poster.bytes.equals(PNG));
});

test("showtime chips carry the lowest ticket price and say when a show is filling fast or sold out", async (t) => {
  const api = await startServer(t, { seedDemo: false });
  const { admin, show } = await api.adminShow({ rows: [{ row: "A", category: "standard", seats: "ss" }, { row: "B", category: "premium", seats: "ss" }], prices: { standard: 20000, premium: 30000 } });
  const chip = async () => (await api.request("GET", `/api/showtimes?ids=${show.body.id},show-gone`)).body;
  const details = (await api.request("GET", `/api/shows/${show.body.id}`)).body;
  const lowest = Math.min(...details.seats.map((s: { price: number }) => s.price));
  t.deepEqual(await chip(), [{ showId: show.body.id, currency: "INR", from: lowest, seatsLeft: 4, availability: "available" }]);

  const first = await api.customer();
  await api.request("POST", `/api/shows/${show.body.id}/holds`, { token: first.token, body: { seats: ["A1", "A2", "B1"] } });
  await api.request("POST", `/api/admin/shows/${show.body.id}/reprice`, { token: admin });
  t.like((await chip())[0], { seatsLeft: 1, availability: "filling_fast" });
  const second = await api.customer();
  await api.request("POST", `/api/shows/${show.body.id}/holds`, { token: second.token, body: { seats: ["B2"] } });
  await api.request("POST", `/api/admin/shows/${show.body.id}/reprice`, { token: admin });
  t.like((await chip())[0], { seatsLeft: 0, availability: "sold_out" });
});
