import test from "ava";
import type { ServiceSchema } from "moleculer";
import { replay } from "../../domain/show/decider.ts";
import type { ShowEvent } from "../../domain/show/types.ts";
import { MemoryStore } from "../../infra/memory-store.ts";
import { StoreUnavailableError } from "../../infra/store.ts";
import { journalKey } from "../../infra/show-actor.ts";
import showActor from "../../services/show.actor.ts";
import { startBroker } from "../helpers/broker.ts";

// Any show id is a show of three standard seats starting tomorrow; the actor prices them itself.
const catalog = (): ServiceSchema => ({
  name: "catalog",
  actions: {
    getShow: (ctx) => ({
      id: (ctx.params as { showId: string }).showId, startsAt: new Date(Date.now() + 86_400_000).toISOString(), currency: "INR", prices: { standard: 20_000 },
      cinema: { id: "c1", city: "Mumbai", timezone: "Asia/Kolkata" },
      seats: ["A1", "A2", "A3"].map((id, i) => ({ id, row: "A", number: i + 1, column: i, category: "standard", forSale: true })),
    }),
  },
});
const hold = (showId: string, holdId: string, seats: string[]) => ({ showId, holdId, userId: "u1", seats });

test("idle shows are passivated beyond the bound and come back from the store with every hold", async (t) => {
  const store = new MemoryStore();
  const journalReads: string[] = [];
  const read = store.read.bind(store);
  store.read = async <T>(journal: string, from?: number) => { journalReads.push(journal); return read<T>(journal, from); };
  const { broker } = await startBroker(t, [showActor, catalog], { maxActiveShows: 2 }, store);
  await broker.call("show.hold", hold("show-1", "h1", ["A1", "A2"]));
  for (const other of ["show-2", "show-3", "show-4"]) await broker.call("show.seats", { showId: other });
  t.is((await broker.call<{ activeShows: number }>("show.owners")).activeShows, 2, "no more live actors than the bound");
  // show-1 was evicted; asking again activates it from its journal.
  const reads = () => journalReads.filter((j) => j === journalKey("show-1")).length;
  const before = reads();
  const seats = await broker.call<{ seats: Record<string, string> }, object>("show.seats", { showId: "show-1" });
  t.is(reads(), before + 1, "show-1 was read back from its journal");
  t.deepEqual(seats.seats, { A1: "held", A2: "held", A3: "available" });
  const taken = await t.throwsAsync(broker.call("show.hold", { ...hold("show-1", "h3", ["A1"]), userId: "u2" }));
  t.like(taken, { type: "SEAT_UNAVAILABLE", data: { seats: [{ seat: "A1", reason: "held" }] } });
});

test("two show nodes on one store never both serve a show: the second is told who owns it", async (t) => {
  const store = new MemoryStore();
  const a = await startBroker(t, [showActor, catalog], {}, store);
  const b = await startBroker(t, [showActor, catalog], {}, store);
  await a.broker.call("show.hold", hold("show-9", "h1", ["A1"]));
  const error = await t.throwsAsync(b.broker.call("show.hold", { ...hold("show-9", "h2", ["A1"]), userId: "u2" }));
  t.like(error, { code: 503, type: "NOT_OWNER", data: { owner: a.broker.nodeID } });
});

test("a node that stops gracefully hands its shows over at once", async (t) => {
  const store = new MemoryStore();
  const a = await startBroker(t, [showActor, catalog], {}, store);
  const b = await startBroker(t, [showActor, catalog], {}, store);
  await a.broker.call("show.hold", hold("show-7", "h1", ["A1"]));
  await a.broker.stop();
  const seats = await b.broker.call<{ seats: Record<string, string> }, object>("show.seats", { showId: "show-7" });
  t.is(seats.seats.A1, "held");
});

test("a journal write whose reply was lost makes the show reread its journal, so the next command builds on what was written", async (t) => {
  const store = new MemoryStore();
  const append = store.append.bind(store);
  let loseNextReply = false;
  // As when Redis applies a write after the command timed out: written, yet reported failed.
  store.append = async (journal, events, fence) => {
    const length = await append(journal, events, fence);
    if (loseNextReply) {
      loseNextReply = false;
      throw new StoreUnavailableError(new Error("Command timed out"));
    }
    return length;
  };
  const { broker } = await startBroker(t, [showActor, catalog], {}, store);
  await broker.call("show.seats", { showId: "show-5" });
  loseNextReply = true;
  await t.throwsAsync(broker.call("show.hold", hold("show-5", "h1", ["A1"])), { instanceOf: StoreUnavailableError });
  await broker.call("show.hold", hold("show-5", "h2", ["A2"]));
  // The customer's second hold replaces the first, which the journal has even though its
  // write was reported failed: one active hold, not two.
  const state = replay("show-5", await store.read<ShowEvent>(journalKey("show-5")));
  t.deepEqual(state.holds.map((h) => h.id), ["h2"]);
  const seats = await broker.call<{ seats: Record<string, string> }, object>("show.seats", { showId: "show-5" });
  t.deepEqual(seats.seats, { A1: "available", A2: "held", A3: "available" });
});
