import test, { type ExecutionContext } from "ava";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import type { Cinema, Movie, Show, ShowDetails, ShowSummary } from "../../domain/catalog/types.ts";
import { MemoryStore } from "../../infra/memory-store.ts";
import { brokerOptions } from "../../moleculer.config.ts";
import catalogService, { loadCatalog, seedCatalog } from "../../services/catalog.service.ts";
import { startBroker, testConfig } from "../helpers/broker.ts";

const LAYOUT = { rows: [
  { row: "A", category: "standard", seats: "ss_ssss_ss" },
  { row: "B", category: "standard", seats: "ss_sxxs_ss" },
  { row: "C", category: "premium", seats: "ss_ssss_ss" },
] };
const PRICES = { standard: 25000, premium: 40000 };

type Broker = ServiceBroker;

async function fixture(broker: Broker) {
  const movie = await broker.call<Movie, object>("catalog.createMovie", { title: "Rocket Chai", durationMinutes: 120, rating: "U", languages: ["Hindi"], genres: ["Comedy"] });
  const other = await broker.call<Movie, object>("catalog.createMovie", { title: "Circuit Breaker", durationMinutes: 90, rating: "A", languages: ["English"], genres: [] });
  const mumbai = await broker.call<Cinema, object>("catalog.createCinema", {
    name: "Marine Lights", city: "Mumbai", timezone: "Asia/Kolkata", screens: [{ name: "Audi 1", layout: LAYOUT }, { name: "Audi 2", layout: LAYOUT }],
  });
  const pune = await broker.call<Cinema, object>("catalog.createCinema", { name: "Deccan Talkies", city: "Pune", timezone: "Asia/Kolkata", screens: [{ name: "Main", layout: LAYOUT }] });
  return { movie, other, mumbai, pune };
}

const createShow = (broker: Broker, params: object) => broker.call<Show, object>("catalog.createShow", params);

/** Polls a condition every 10 ms for at most 3 s. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not met within 3 s");
}

async function rejects(t: ExecutionContext, promise: Promise<unknown>, code: number, type: string) {
  const error = await t.throwsAsync(promise);
  t.is((error as { code?: number }).code, code, error?.message);
  t.is((error as { type?: string }).type, type, error?.message);
  return error as Error & { data: Record<string, unknown> };
}

test("movies are listed by title and fetched by id", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie } = await fixture(broker);
  t.deepEqual((await broker.call<Movie[], object>("catalog.listMovies", {})).map((m) => m.title), ["Circuit Breaker", "Rocket Chai"]);
  t.deepEqual(await broker.call("catalog.getMovie", { movieId: movie.id }), movie);
});

test("an unknown movie, cinema or show is a 404 naming the id", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const error = await rejects(t, broker.call("catalog.getMovie", { movieId: "movie-nope" }), 404, "NOT_FOUND");
  t.deepEqual(error.data, { movieId: "movie-nope" });
  await rejects(t, broker.call("catalog.getCinema", { cinemaId: "cinema-nope" }), 404, "NOT_FOUND");
  await rejects(t, broker.call("catalog.getShow", { showId: "show-nope" }), 404, "NOT_FOUND");
});

test("a movie with an unknown certificate or no running time is refused as invalid", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  await rejects(t, broker.call("catalog.createMovie", { title: "X", durationMinutes: 100, rating: "PG-13", languages: ["Hindi"], genres: [] }), 422, "VALIDATION_ERROR");
  await rejects(t, broker.call("catalog.createMovie", { title: "X", durationMinutes: 0, rating: "U", languages: ["Hindi"], genres: [] }), 422, "VALIDATION_ERROR");
  await rejects(t, broker.call("catalog.createMovie", { title: "  ", durationMinutes: 100, rating: "U", languages: ["Hindi"], genres: [] }), 422, "VALIDATION_ERROR");
});

test("a new cinema gets ids for itself and each screen and keeps the layouts", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { mumbai } = await fixture(broker);
  t.regex(mumbai.id, /^cinema-/);
  t.is(new Set(mumbai.screens.map((s) => s.id)).size, 2);
  t.deepEqual(mumbai.screens[0]!.layout, LAYOUT);
  t.deepEqual(await broker.call("catalog.getCinema", { cinemaId: mumbai.id }), mumbai);
});

test("cinemas can be listed by city", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { mumbai, pune } = await fixture(broker);
  t.deepEqual((await broker.call<Cinema[], object>("catalog.listCinemas", { city: "mumbai" })).map((c) => c.id), [mumbai.id]);
  t.deepEqual((await broker.call<Cinema[], object>("catalog.listCinemas", {})).map((c) => c.id), [mumbai.id, pune.id]);
});

test("a cinema in a time zone that does not exist is refused", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const error = await rejects(t, broker.call("catalog.createCinema", { name: "X", city: "Y", timezone: "Asia/Atlantis", screens: [{ name: "1", layout: LAYOUT }] }), 422, "INVALID_TIMEZONE");
  t.deepEqual(error.data, { timezone: "Asia/Atlantis" });
});

test("a cinema with a broken seat layout is refused with the rows to fix", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const layout = { rows: [{ row: "A", category: "standard", seats: "ss_ss" }, { row: "A", category: "standard", seats: "ss-ss" }] };
  const error = await rejects(t, broker.call("catalog.createCinema", { name: "X", city: "Y", timezone: "Asia/Kolkata", screens: [{ name: "Audi 1", layout }] }), 422, "INVALID_LAYOUT");
  t.is(error.data.screen, "Audi 1");
  t.deepEqual((error.data.problems as { row: string }[]).map((p) => p.row), ["A", "A"]);
  t.regex(error.message, /row A/);
});

test("a new show ends after its film plus 15 minutes of cleanup and is announced", async (t) => {
  const announced: unknown[] = [];
  const spy = (): ServiceSchema => ({ name: "spy", events: { "catalog.show.created"(ctx) { announced.push(ctx.params); } } });
  const { broker } = await startBroker(t, [catalogService, spy]);
  const { movie, mumbai } = await fixture(broker);
  const show = await createShow(broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T08:30:00+05:30", prices: PRICES });
  t.is(show.startsAt, "2030-01-10T03:00:00.000Z");
  t.is(show.endsAt, "2030-01-10T05:15:00.000Z");
  t.is(show.currency, "INR");
  t.deepEqual(show.prices, PRICES);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(announced, [{ showId: show.id }]);
});

test("a show naming an unknown movie, cinema or screen is refused with the unknown ids", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, mumbai } = await fixture(broker);
  const error = await rejects(t, createShow(broker, { movieId: "movie-nope", cinemaId: mumbai.id, screenId: "screen-nope", startsAt: "2030-01-10T03:00:00Z", prices: PRICES }), 422, "UNKNOWN_REFERENCE");
  t.deepEqual(error.data, { movieId: "movie-nope", screenId: "screen-nope" });
  await rejects(t, createShow(broker, { movieId: movie.id, cinemaId: "cinema-nope", screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T03:00:00Z", prices: PRICES }), 422, "UNKNOWN_REFERENCE");
});

test("a show on a screen of another cinema is refused", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, mumbai, pune } = await fixture(broker);
  const error = await rejects(t, createShow(broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: pune.screens[0]!.id, startsAt: "2030-01-10T03:00:00Z", prices: PRICES }), 422, "SCREEN_NOT_IN_CINEMA");
  t.deepEqual(error.data.screens, mumbai.screens.map((s) => s.id));
});

test("a show must price every seat category of its screen, and only those", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, mumbai } = await fixture(broker);
  const base = { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T03:00:00Z" };
  const missing = await rejects(t, createShow(broker, { ...base, prices: { standard: 25000 } }), 422, "PRICES_INCOMPLETE");
  t.deepEqual(missing.data.missing, ["premium"]);
  const extra = await rejects(t, createShow(broker, { ...base, prices: { ...PRICES, recliner: 65000 } }), 422, "UNKNOWN_PRICE_CATEGORY");
  t.deepEqual(extra.data.unknown, ["recliner"]);
  await rejects(t, createShow(broker, { ...base, prices: { standard: 250.5, premium: 40000 } }), 422, "VALIDATION_ERROR");
});

test("a show start that is not an ISO time with a zone is refused", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, mumbai } = await fixture(broker);
  for (const startsAt of ["tomorrow 10am", "2030-01-10 10:00", "2030-01-10T10:00:00"]) {
    await rejects(t, createShow(broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt, prices: PRICES }), 422, "INVALID_START");
  }
});

test("a show overlapping another on the same screen, cleanup included, is a conflict", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, other, mumbai } = await fixture(broker);
  const screenId = mumbai.screens[0]!.id;
  const first = await createShow(broker, { movieId: movie.id, cinemaId: mumbai.id, screenId, startsAt: "2030-01-10T03:00:00Z", prices: PRICES });
  // The first show's film ends at 05:00 but the screen is cleaned until 05:15.
  const error = await rejects(t, createShow(broker, { movieId: other.id, cinemaId: mumbai.id, screenId, startsAt: "2030-01-10T05:00:00Z", prices: PRICES }), 409, "SCREEN_BUSY");
  t.deepEqual(error.data.clashes, [{ showId: first.id, startsAt: first.startsAt, endsAt: first.endsAt }]);
  t.regex(error.message, /until 10:45 on 2030-01-10 \(Asia\/Kolkata\)/, "the cinema's clock, not UTC");
  // The same slot on another screen, and the same screen after cleanup, are free.
  await t.notThrowsAsync(createShow(broker, { movieId: other.id, cinemaId: mumbai.id, screenId: mumbai.screens[1]!.id, startsAt: "2030-01-10T05:00:00Z", prices: PRICES }));
  await t.notThrowsAsync(createShow(broker, { movieId: other.id, cinemaId: mumbai.id, screenId, startsAt: "2030-01-10T05:15:00Z", prices: PRICES }));
});

test("two requests for the same screen at the same moment: one show is created, the other is a conflict", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, mumbai } = await fixture(broker);
  const params = { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T03:00:00Z", prices: PRICES };
  const results = await Promise.allSettled([createShow(broker, params), createShow(broker, { ...params, startsAt: "2030-01-10T04:00:00Z" })]);
  t.deepEqual(results.map((r) => r.status).sort(), ["fulfilled", "rejected"]);
  t.is(((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as { type: string }).type, "SCREEN_BUSY");
});

test("shows are listed by city and cinema-local date, in start order, with names to display", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, other, mumbai, pune } = await fixture(broker);
  // 01:00 IST on the 11th is 19:30 UTC on the 10th: it is listed on the 11th.
  const late = await createShow(broker, { movieId: other.id, cinemaId: mumbai.id, screenId: mumbai.screens[1]!.id, startsAt: "2030-01-10T19:30:00Z", prices: PRICES });
  const morning = await createShow(broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-11T04:30:00Z", prices: PRICES });
  await createShow(broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T04:30:00Z", prices: PRICES });
  await createShow(broker, { movieId: movie.id, cinemaId: pune.id, screenId: pune.screens[0]!.id, startsAt: "2030-01-11T04:30:00Z", prices: PRICES });

  const listed = await broker.call<ShowSummary[], object>("catalog.listShows", { city: "Mumbai", date: "2030-01-11" });
  t.deepEqual(listed.map((s) => s.id), [late.id, morning.id]);
  t.deepEqual(listed[0], {
    id: late.id, movieId: other.id, movieTitle: "Circuit Breaker", cinemaId: mumbai.id, cinemaName: "Marine Lights", city: "Mumbai", timezone: "Asia/Kolkata",
    screenId: mumbai.screens[1]!.id, screenName: "Audi 2", startsAt: late.startsAt, endsAt: late.endsAt, localDate: "2030-01-11", currency: "INR", prices: PRICES,
  });
  t.is((await broker.call<ShowSummary[], object>("catalog.listShows", { movieId: movie.id })).length, 3);
  t.is((await broker.call<ShowSummary[], object>("catalog.listShows", { cinemaId: pune.id })).length, 1);
  t.is((await broker.call<ShowSummary[], object>("catalog.listShows", {})).length, 4);
  // Blank filters, as a form sends them, filter nothing.
  t.is((await broker.call<ShowSummary[], object>("catalog.listShows", { city: "", date: "", movieId: "" })).length, 4);
});

test("summaries of a list of shows name each known show once and leave unknown ids out", async (t) => {
  const { broker } = await startBroker(t, [catalogService], { seedDemo: true });
  const listed = await broker.call<ShowSummary[], object>("catalog.listShows", {});
  const [a, b] = [listed[0]!, listed[1]!];
  const summaries = await broker.call<ShowSummary[], object>("catalog.showSummaries", { showIds: [b.id, "show-nowhere", a.id, b.id] });
  t.deepEqual(summaries, [b, a]);
});

test("a listing date that is not a calendar date is refused", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  await rejects(t, broker.call("catalog.listShows", { date: "2030-02-30" }), 422, "INVALID_DATE");
  await rejects(t, broker.call("catalog.listShows", { date: "11/01/2030" }), 422, "VALIDATION_ERROR");
});

test("a show's details carry its movie, cinema, screen, local date and every seat", async (t) => {
  const { broker } = await startBroker(t, [catalogService]);
  const { movie, mumbai } = await fixture(broker);
  const show = await createShow(broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T19:30:00Z", prices: PRICES });
  const details = await broker.call<ShowDetails, object>("catalog.getShow", { showId: show.id });
  t.like(details, { ...show, movie, localDate: "2030-01-11", screen: { id: mumbai.screens[0]!.id, name: "Audi 1" } });
  t.deepEqual(details.cinema, { id: mumbai.id, name: "Marine Lights", city: "Mumbai", timezone: "Asia/Kolkata" });
  t.is(details.seats.length, 24);
  t.deepEqual(details.seats.filter((s) => !s.forSale).map((s) => s.id), ["B4", "B5"]);
  t.deepEqual(details.seats.find((s) => s.id === "C8"), { id: "C8", row: "C", number: 8, column: 9, category: "premium", forSale: true });
});

test("a restart with the same store keeps the whole catalog", async (t) => {
  const store = new MemoryStore();
  const first = await startBroker(t, [catalogService], {}, store);
  const { movie, mumbai } = await fixture(first.broker);
  const show = await createShow(first.broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T03:00:00Z", prices: PRICES });
  const before = await first.broker.call("catalog.listShows", { city: "Mumbai" });
  await first.broker.stop();

  const second = await startBroker(t, [catalogService], {}, store);
  t.deepEqual(await second.broker.call("catalog.listShows", { city: "Mumbai" }), before);
  t.is((await second.broker.call<Movie[], object>("catalog.listMovies", {})).length, 2);
  // The restored index still guards the screen.
  await rejects(t, createShow(second.broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: show.screenId, startsAt: "2030-01-10T04:00:00Z", prices: PRICES }), 409, "SCREEN_BUSY");
});

test("with the demo switched on, a fresh store is seeded and a restart adds no duplicates", async (t) => {
  const store = new MemoryStore();
  const first = await startBroker(t, [catalogService], { seedDemo: true }, store);
  const cinemas = await first.broker.call<Cinema[], object>("catalog.listCinemas", {});
  const shows = await first.broker.call<ShowSummary[], object>("catalog.listShows", {});
  t.is(cinemas.length, 3);
  t.true(shows.length > 100);
  await first.broker.stop();

  const second = await startBroker(t, [catalogService], { seedDemo: true }, store);
  t.deepEqual(await second.broker.call("catalog.listShows", {}), shows);
  t.is((await store.all("shows")).length, shows.length);
});

test("seeding again on a later day adds only that day's shows", async (t) => {
  const store = new MemoryStore();
  const now = Date.parse("2030-01-10T03:00:00Z");
  const first = await seedCatalog(store, (await loadCatalog(store)).catalog, now);
  const later = await seedCatalog(store, (await loadCatalog(store)).catalog, now + 86_400_000);
  t.is(first.shows, 6 * 4 * 7);
  t.is(later.shows, 6 * 4);
  t.is((await store.all("shows")).length, 6 * 4 * 8);
});

test("the demo leaves out a slot where an admin already put a show on that screen", async (t) => {
  const store = new MemoryStore();
  const now = Date.parse("2030-01-10T03:00:00Z");
  const { catalog } = await loadCatalog(store);
  await seedCatalog(store, catalog, now);
  // An admin show at 09:00 IST on the eighth day, over the demo's 10:00 slot on that screen.
  const intruder: Show = {
    id: "show-admin", movieId: "movie-rocket-chai", cinemaId: "cinema-marine-lights", screenId: "mlc-audi-1",
    startsAt: "2030-01-17T03:30:00.000Z", endsAt: "2030-01-17T05:43:00.000Z", currency: "INR", prices: { standard: 1, premium: 1, recliner: 1 },
  };
  await store.put("shows", intruder.id, intruder);
  const result = await seedCatalog(store, (await loadCatalog(store)).catalog, now + 86_400_000);
  t.deepEqual(result.clashing, ["show-mlc-audi-1-20300117-1000"]);
  t.is(result.shows, 6 * 4 - 1);
});

test("a catalog node finds a show another node wrote to the shared store when asked for it by id", async (t) => {
  const store = new MemoryStore();
  // Two brokers without a transporter: nothing but the store connects them.
  const a = await startBroker(t, [catalogService], {}, store);
  const b = await startBroker(t, [catalogService], {}, store);
  const { movie, mumbai } = await fixture(a.broker);
  const show = await createShow(a.broker, { movieId: movie.id, cinemaId: mumbai.id, screenId: mumbai.screens[0]!.id, startsAt: "2030-01-10T03:00:00Z", prices: PRICES });
  t.like(await b.broker.call<ShowDetails, object>("catalog.getShow", { showId: show.id }), { id: show.id, movie: { title: "Rocket Chai" }, cinema: { name: "Marine Lights" } });
  t.is((await b.broker.call<Movie, object>("catalog.getMovie", { movieId: movie.id })).id, movie.id);
});

test("catalog nodes in a cluster list and guard each other's new shows", async (t) => {
  const store = new MemoryStore();
  const config = testConfig();
  const nodes = ["catalog-a", "catalog-b"].map((nodeID) => new ServiceBroker({ ...brokerOptions(config), nodeID, transporter: "Fake" }));
  for (const broker of nodes) {
    broker.createService(catalogService({ config, store }));
    t.teardown(() => broker.stop());
  }
  await Promise.all(nodes.map((n) => n.start()));
  const [a, b] = nodes as [Broker, Broker];
  // Discovery and broadcasts cross the transporter asynchronously: wait for them (bounded), not for a fixed time.
  await until(() => Boolean(a.registry.nodes.get("catalog-b")?.available && b.registry.nodes.get("catalog-a")?.available));
  const onA = <T>(action: string, params: object) => a.call<T, object>(action, params, { nodeID: "catalog-a" });
  const onB = <T>(action: string, params: object) => b.call<T, object>(action, params, { nodeID: "catalog-b" });

  const movie = await onA<Movie>("catalog.createMovie", { title: "Rocket Chai", durationMinutes: 120, rating: "U", languages: ["Hindi"], genres: [] });
  const cinema = await onA<Cinema>("catalog.createCinema", { name: "Marine Lights", city: "Mumbai", timezone: "Asia/Kolkata", screens: [{ name: "1", layout: LAYOUT }] });
  const show = await onA<Show>("catalog.createShow", { movieId: movie.id, cinemaId: cinema.id, screenId: cinema.screens[0]!.id, startsAt: "2030-01-10T03:00:00Z", prices: PRICES });

  let listed: ShowSummary[] = [];
  await until(async () => (listed = await onB<ShowSummary[]>("catalog.listShows", { city: "Mumbai" })).length > 0);
  t.deepEqual(listed.map((s) => s.id), [show.id]);
  await rejects(t, onB("catalog.createShow", { movieId: movie.id, cinemaId: cinema.id, screenId: cinema.screens[0]!.id, startsAt: "2030-01-10T04:00:00Z", prices: PRICES }), 409, "SCREEN_BUSY");
});
