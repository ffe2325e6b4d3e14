import test from "ava";
import { ABANDONED_AFTER_MS, idempotent } from "../../services/idempotency.ts";
import { MemoryStore } from "../../infra/memory-store.ts";
import { ConflictError } from "../../services/errors.ts";

test("the same key and body runs once and replays the stored result", async (t) => {
  const store = new MemoryStore();
  let runs = 0;
  const run = async () => ({ charge: ++runs });
  t.deepEqual(await idempotent(store, "pay", "k1", { amount: 5, card: { last4: "4242" } }, run), { charge: 1 });
  t.deepEqual(await idempotent(store, "pay", "k1", { card: { last4: "4242" }, amount: 5 }, run), { charge: 1 }, "key order does not matter");
  t.is(runs, 1);
});

test("the same key with a different body is refused with 422", async (t) => {
  const store = new MemoryStore();
  await idempotent(store, "pay", "k1", { amount: 5 }, async () => "ok");
  const error = await t.throwsAsync(idempotent(store, "pay", "k1", { amount: 6 }, async () => "again"));
  t.like(error, { code: 422, type: "IDEMPOTENCY_KEY_REUSED" });
});

test("a request still running under a key makes a second one a 409, not a second run", async (t) => {
  const store = new MemoryStore();
  let release!: () => void;
  const first = idempotent(store, "pay", "k1", {}, () => new Promise<string>((resolve) => { release = () => resolve("done"); }));
  await new Promise((r) => setImmediate(r));
  const error = await t.throwsAsync(idempotent(store, "pay", "k1", {}, async () => "second"));
  t.like(error, { code: 409, type: "IDEMPOTENCY_IN_FLIGHT" });
  release();
  t.is(await first, "done");
  t.is(await idempotent(store, "pay", "k1", {}, async () => "third"), "done");
});

test("a client error is stored and replayed; other failures free the key for a retry", async (t) => {
  const store = new MemoryStore();
  await t.throwsAsync(idempotent(store, "pay", "k1", {}, async () => { throw new ConflictError("taken", "SEAT_UNAVAILABLE", { seats: ["A1"] }); }));
  const replayed = await t.throwsAsync(idempotent(store, "pay", "k1", {}, async () => "should not run"));
  t.like(replayed, { code: 409, type: "SEAT_UNAVAILABLE", data: { seats: ["A1"] } });

  await t.throwsAsync(idempotent(store, "pay", "k2", {}, async () => { throw new Error("connection reset"); }));
  t.is(await idempotent(store, "pay", "k2", {}, async () => "retried"), "retried");
});

test("a busy answer (retry later) is not stored: the retry under the same key really runs", async (t) => {
  const store = new MemoryStore();
  const busy = await t.throwsAsync(idempotent(store, "pay", "k1", {}, async () => {
    throw new ConflictError("Hold h1 is being paid for", "HOLD_IN_PAYMENT", { retryAfter: 1 });
  }));
  t.like(busy, { code: 409, type: "HOLD_IN_PAYMENT" });
  t.is(await idempotent(store, "pay", "k1", {}, async () => "paid"), "paid");
  t.is(await idempotent(store, "pay", "k1", {}, async () => "should not run"), "paid");
});

/** A store holding key k1 of a request that died mid-flight, and a clock past its abandonment. */
async function abandonedKey() {
  const store = new MemoryStore();
  let clock = 1_000;
  void idempotent(store, "pay", "k1", {}, () => new Promise(() => {}), () => clock);
  await new Promise((r) => setImmediate(r));
  clock += ABANDONED_AFTER_MS + 1;
  return { store, now: () => clock };
}

test("a key whose request died mid-flight is taken over after the abandonment period", async (t) => {
  const { store, now } = await abandonedKey();
  t.is(await idempotent(store, "pay", "k1", {}, async () => "taken over", now), "taken over");
});

test("of two requests that find the same key abandoned, only one takes it over and runs", async (t) => {
  const { store, now } = await abandonedKey();
  let runs = 0;
  const attempt = () => idempotent(store, "pay", "k1", {}, async () => { runs++; await new Promise((r) => setTimeout(r, 20)); return "taken over"; }, now);
  const outcomes = await Promise.allSettled([attempt(), attempt()]);
  t.is(runs, 1);
  t.deepEqual(outcomes.map((o) => o.status).sort(), ["fulfilled", "rejected"]);
  const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected")!;
  t.like(refused.reason, { code: 409, type: "IDEMPOTENCY_IN_FLIGHT" });
  t.is(await attempt(), "taken over", "and its result is what the key replays");
});

test("scopes keep equal keys of different users apart", async (t) => {
  const store = new MemoryStore();
  t.is(await idempotent(store, "pay:alice", "k", { a: 1 }, async () => "alice"), "alice");
  t.is(await idempotent(store, "pay:bob", "k", { a: 2 }, async () => "bob"), "bob");
});

test("without a key every call runs", async (t) => {
  const store = new MemoryStore();
  let runs = 0;
  await idempotent(store, "pay", undefined, {}, async () => runs++);
  await idempotent(store, "pay", undefined, {}, async () => runs++);
  t.is(runs, 2);
});
