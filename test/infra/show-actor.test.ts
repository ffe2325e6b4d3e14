import test from "ava";
import type { Quote } from "../../domain/pricing/quote.ts";
import type { ShowCommand } from "../../domain/show/types.ts";
import { MemoryStore } from "../../infra/memory-store.ts";
import { journalKey, ShowActor } from "../../infra/show-actor.ts";

const HOUR = 3_600_000;
const quote = (seats: string[]): Quote => ({ showId: "s1", currency: "INR", total: seats.length * 100, seatPrices: Object.fromEntries(seats.map((s) => [s, 100])), lines: [], quotedAt: new Date(0).toISOString() });
const seats = ["A1", "A2", "A3", "A4"].map((id) => ({ id, forSale: true }));
const hold = (holdId: string, userId: string, s: string[], ttlMs = 60_000): ShowCommand => ({ type: "HoldSeats", holdId, userId, seats: s, quote: quote(s), ttlMs, maxSeats: 10 });

async function scheduled(store = new MemoryStore(), clock: () => number = Date.now) {
  const actor = await ShowActor.activate("s1", { store, clock });
  await actor.execute({ type: "ScheduleShow", showId: "s1", startsAt: clock() + 10 * HOUR, seats });
  return { actor, store };
}

test("an accepted command's events are in the journal before the caller hears back", async (t) => {
  const { actor, store } = await scheduled();
  const reply = await actor.execute(hold("h1", "u1", ["A1"]));
  t.true(reply.ok);
  const journal = await store.read<{ type: string }>(journalKey("s1"));
  t.deepEqual(journal.map((e) => e.type), ["ShowScheduled", "SeatsHeld"]);
  actor.stop();
});

test("commands arriving together are stored in one write", async (t) => {
  const store = new MemoryStore();
  const { actor } = await scheduled(store);
  let writes = 0;
  const append = store.append.bind(store);
  store.append = async (journal, events) => { writes++; return append(journal, events); };
  const replies = await Promise.all([hold("h1", "u1", ["A1"]), hold("h2", "u2", ["A1"]), hold("h3", "u3", ["A2"])].map((c) => actor.execute(c)));
  t.deepEqual(replies.map((r) => r.ok), [true, false, true]);
  // The first command is written alone; the two that queued behind it share one write.
  t.is(writes, 2);
  actor.stop();
});

test("when the store fails, no command of the batch is acknowledged and the state is unchanged", async (t) => {
  const store = new MemoryStore();
  const { actor } = await scheduled(store);
  const append = store.append.bind(store);
  store.append = async () => { throw new Error("store down"); };
  await t.throwsAsync(actor.execute(hold("h1", "u1", ["A1"])), { message: "store down" });
  t.false("A1" in actor.state.claims);
  store.append = append;
  t.true((await actor.execute(hold("h2", "u2", ["A1"]))).ok);
  actor.stop();
});

test("a hold expires on its own timer, with no request", async (t) => {
  const { actor, store } = await scheduled();
  await actor.execute(hold("h1", "u1", ["A1"], 50));
  t.is(actor.state.claims.A1?.id, "h1");
  await new Promise((r) => setTimeout(r, 200));
  t.false("A1" in actor.state.claims);
  const journal = await store.read<{ type: string }>(journalKey("s1"));
  t.is(journal.at(-1)?.type, "HoldExpired");
  actor.stop();
});

test("reactivating a show replays its journal, and holds that lapsed meanwhile expire", async (t) => {
  let now = 1_000_000;
  const clock = () => now;
  const { actor, store } = await scheduled(new MemoryStore(), clock);
  await actor.execute(hold("h1", "u1", ["A1"], 1_000));
  await actor.execute(hold("h2", "u2", ["A2"], 100_000));
  actor.stop();
  now += 5_000;
  const again = await ShowActor.activate("s1", { store, clock });
  t.is(again.state.version, actor.state.version);
  t.deepEqual(again.state.claims, actor.state.claims);
  // The next command sees h1's deadline has passed: its seat is free again, h2's is not.
  const reply = await again.execute(hold("h3", "u3", ["A1"]));
  t.true(reply.ok);
  const r2 = await again.execute(hold("h4", "u4", ["A2"]));
  t.false(r2.ok);
  again.stop();
});

/** A show whose actor snapshots every third event, holding one seat per user, then stopped. */
async function snapshottedShow(heldSeats: string[]) {
  const store = new MemoryStore();
  const actor = await ShowActor.activate("s1", { store, snapshotEvery: 3 });
  await actor.execute({ type: "ScheduleShow", showId: "s1", startsAt: Date.now() + 10 * HOUR, seats });
  for (const [i, seat] of heldSeats.entries()) await actor.execute(hold(`h${i}`, `u${i}`, [seat]));
  await actor.stop();
  return { store, actor };
}

/** Activates the show again, noting where in the journal it started reading. */
async function reactivate(store: MemoryStore) {
  let readFrom = -1;
  const read = store.read.bind(store);
  store.read = async <T>(journal: string, from?: number) => { readFrom = from ?? 0; return read<T>(journal, from); };
  const again = await ShowActor.activate("s1", { store });
  return { again, readFrom };
}

test("a show comes back from its latest snapshot plus the journal after it", async (t) => {
  const { store, actor } = await snapshottedShow(["A1", "A2", "A3", "A4"]);
  const snapshot = await store.get<{ version: number }>("snapshots", "s1");
  t.is(snapshot?.version, 3, "a snapshot was taken after the third event");
  const { again, readFrom } = await reactivate(store);
  t.is(readFrom, 3, "only the tail after the snapshot is replayed");
  t.deepEqual(again.state, actor.state);
  await again.stop();
});

test("a snapshot from an older version of the state is ignored: the show is rebuilt from its whole journal", async (t) => {
  const { store, actor } = await snapshottedShow(["A1", "A2", "A3"]);
  // What an earlier release stored: no format, and ended holds in a shape this one cannot read.
  await store.put("snapshots", "s1", { version: 3, state: { ...actor.state, version: 3, endedHolds: { 7: { h0: {} } } } });
  const { again, readFrom } = await reactivate(store);
  t.is(readFrom, 0, "the whole journal is replayed");
  t.deepEqual(again.state, actor.state);
  t.false((await again.execute(hold("h9", "u9", ["A1"]))).ok, "A1 is still held by h0");
  await again.stop();
});

test("a write under a lease this node no longer holds is refused and nothing is acknowledged", async (t) => {
  const store = new MemoryStore();
  const mine = await store.acquireLease("shard:1", "node-a", 50);
  if (!mine.granted) return t.fail();
  const actor = await ShowActor.activate("s1", { store, fence: () => ({ lease: "shard:1", epoch: mine.epoch }) });
  await actor.execute({ type: "ScheduleShow", showId: "s1", startsAt: Date.now() + 10 * HOUR, seats });
  await new Promise((r) => setTimeout(r, 100));
  t.like(await store.acquireLease("shard:1", "node-b", 60_000), { granted: true });
  const error = await t.throwsAsync(actor.execute(hold("h1", "u1", ["A1"])));
  t.is(error?.name, "StaleEpochError");
  t.deepEqual((await store.read<{ type: string }>(journalKey("s1"))).map((e) => e.type), ["ShowScheduled"]);
  t.deepEqual(actor.state.holds, []);
  await actor.stop();
});

test("a stopped actor finishes what it accepted and refuses anything new", async (t) => {
  const { actor } = await scheduled();
  const accepted = actor.execute(hold("h1", "u1", ["A1"]));
  const stopping = actor.stop();
  await t.throwsAsync(actor.execute(hold("h2", "u2", ["A2"])), { name: "ActorStoppedError" });
  t.true((await accepted).ok);
  await stopping;
});
