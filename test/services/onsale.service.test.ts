// The waiting room's service on a clock the test moves: a customer whose turn lapses joins again
// at the back without moving anyone else, and the tick follows the seats its shows report.
import test from "ava";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import onsaleService from "../../services/onsale.service.ts";
import type { Caller } from "../../services/deps.ts";
import { mulberry32 } from "../../domain/random.ts";
import { startBroker } from "../helpers/broker.ts";

const T0 = Date.parse("2030-06-01T10:00:00Z");
const startsAt = new Date(T0 + 86_400_000).toISOString();
const admin: Caller = { id: "usr_admin", email: "admin@x", name: "Admin", role: "admin" };
const fan = (i: number): Caller => ({ id: `usr_fan${i}`, email: `fan${i}@x`, name: `Fan ${i}`, role: "customer" });

/** A catalog that knows one show, and show actors that report whatever seats the test sets. */
function doubles(seats: { available: number; held: number; booked: number; bookings: number }): ServiceSchema[] {
  return [
    { name: "catalog", actions: { getShow: () => ({ id: "s1", startsAt }) } },
    { name: "show", actions: { stats: () => ({ ...seats, forSale: 100, total: 100, revenue: {} }) } },
  ];
}

async function setup(t: Parameters<typeof startBroker>[0], rate: number | "automatic") {
  let now = T0;
  const seats = { available: 100, held: 0, booked: 0, bookings: 0 };
  const { broker } = await startBroker(t, [
    (deps) => onsaleService(deps, { clock: () => now, random: mulberry32(9) }),
    ...doubles(seats).map((schema) => () => schema),
  ]);
  const as = (caller: Caller) => ({ meta: { caller } });
  const sale = await broker.call<{ id: string }, object>("onsale.create", { shows: ["s1"], opensAt: new Date(T0 + 60_000).toISOString(), admissionRate: rate, finishWithinSeconds: 30, maxTicketsPerAccount: 4 }, as(admin));
  const join = (i: number) => broker.call<any, object>("onsale.join", { onsaleId: sale.id }, as(fan(i)));
  const position = (i: number) => broker.call<any, object>("onsale.position", { onsaleId: sale.id }, as(fan(i)));
  /** Moves the clock on one tick at a time. */
  const advance = async (ms: number) => {
    for (let left = ms; left > 0; left -= 1_000) {
      now += Math.min(1_000, left);
      await broker.call("onsale.tick");
    }
    await new Promise((r) => setTimeout(r, 300)); // past the service's 250 ms read cache
  };
  return { broker: broker as ServiceBroker, sale, join, position, advance, seats };
}

test("a customer whose turn lapsed joins again at the back, and nobody else's place moves", async (t) => {
  const { join, position, advance } = await setup(t, 60);
  for (let i = 0; i < 5; i++) await join(i);
  await advance(62_000); // the opening, then a customer a second
  const places = await Promise.all([0, 1, 2, 3, 4].map(async (i) => (await position(i)).place as number));
  t.deepEqual([...places].sort(), [1, 2, 3, 4, 5]);
  const first = places.indexOf(1);
  t.is((await position(first)).status, "admitted");
  await advance(31_000); // the first customer's 30 s pass runs out unused
  t.is((await position(first)).status, "lapsed");
  const again = await join(first);
  t.is(again.status, "waiting");
  t.is(again.place, 6, "at the back");
  const after = await Promise.all([0, 1, 2, 3, 4].map(async (i) => (i === first ? places[i] : (await position(i)).place as number)));
  t.deepEqual(after, places, "everyone else keeps their place");
  t.is((await join(first)).place, 6, "joining again twice keeps one place");
});

test("automatic admission pauses while every free seat is held and resumes when the holds lapse", async (t) => {
  const { join, position, advance, seats } = await setup(t, "automatic");
  for (let i = 0; i < 80; i++) await join(i);
  Object.assign(seats, { available: 10, held: 90 });
  await advance(62_000);
  const letIn = async () => (await Promise.all(Array.from({ length: 80 }, (_, i) => position(i)))).filter((p) => p.status === "admitted").length;
  t.is(await letIn(), 5, "10 free seats, 2 a customer");
  Object.assign(seats, { available: 0, held: 100 });
  await advance(10_000);
  t.is(await letIn(), 5, "every seat held: nobody more");
  const waiting = (await Promise.all(Array.from({ length: 80 }, (_, i) => position(i)))).find((p) => p.status === "waiting");
  t.is(waiting.estimatedWaitSeconds, null, "no estimate while nobody can be let in");
  Object.assign(seats, { available: 40, held: 60 }); // holds lapse
  await advance(2_000);
  t.is(await letIn(), 20, "40 seats came back: 20 customers' worth, less the 5 let in who have not tried to hold");
  Object.assign(seats, { available: 0, held: 0, booked: 100, bookings: 40 });
  await advance(1_000);
  t.true((await Promise.all(Array.from({ length: 80 }, (_, i) => position(i)))).every((p) => p.status === "sold_out"), "sold out: everyone is told");
});
