// One contract, two implementations: the memory store and the Redis store must behave alike.
import type { ExecutionContext } from "ava";
import { randomUUID } from "node:crypto";
import { MemoryStore } from "../../infra/memory-store.ts";
import { RedisStore } from "../../infra/redis-store.ts";
import type { Retention, Store } from "../../infra/store.ts";
import { SHARED_REDIS, testNeeding, unreachableRedis } from "../helpers/services.ts";

type Make = (t: ExecutionContext, retention?: Retention) => Promise<Store>;

const implementations: [string, Make, ReturnType<typeof testNeeding>][] = [
  ["memory", async (_t, retention) => new MemoryStore(Date.now, { retention }), testNeeding(undefined)],
  ["redis", async (t, retention) => {
    const prefix = `test:${randomUUID()}`;
    const store = new RedisStore(SHARED_REDIS, prefix, { retention });
    t.teardown(async () => {
      const keys = await store.redis.keys(`${prefix}:*`);
      if (keys.length) await store.redis.del(...keys);
      await store.close();
    });
    return store;
  }, testNeeding(await unreachableRedis())],
];

for (const [name, make, test] of implementations) {
  test(`${name}: documents round-trip as plain data and cannot be changed behind the store's back`, async (t) => {
    const store = await make(t);
    const doc = { id: "b1", seats: ["A1"], nested: { n: 1 } };
    await store.put("bookings", "b1", doc);
    doc.seats.push("A2");
    t.deepEqual(await store.get("bookings", "b1"), { id: "b1", seats: ["A1"], nested: { n: 1 } });
    t.is(await store.get("bookings", "nope"), undefined);
    t.deepEqual(await store.getMany("bookings", ["b1", "nope"]), [{ id: "b1", seats: ["A1"], nested: { n: 1 } }, undefined]);
    await store.put("bookings", "b2", { id: "b2" });
    t.deepEqual((await store.all<{ id: string }>("bookings")).map((d) => d.id).sort(), ["b1", "b2"]);
    await store.remove("bookings", "b1");
    t.deepEqual((await store.all<{ id: string }>("bookings")).map((d) => d.id), ["b2"]);
  });

  test(`${name}: documents of a collection with a retention lapse after it; other collections keep theirs`, async (t) => {
    const store = await make(t, { idempotency: 300 });
    if (!store) return t.pass();
    await store.put("idempotency", "k1", { state: "done" });
    t.true(await store.putIfAbsent("idempotency", "k2", { state: "in_flight" }));
    await store.put("bookings", "b1", { id: "b1" });
    t.deepEqual(await store.getMany("idempotency", ["k1", "k2"]), [{ state: "done" }, { state: "in_flight" }]);
    t.false(await store.putIfAbsent("idempotency", "k2", { state: "again" }));
    await new Promise((resolve) => setTimeout(resolve, 600));
    t.deepEqual(await store.getMany("idempotency", ["k1", "k2"]), [undefined, undefined]);
    t.true(await store.putIfAbsent("idempotency", "k2", { state: "new" }), "a lapsed key is free again");
    t.deepEqual(await store.get("bookings", "b1"), { id: "b1" });
  });

  test(`${name}: putIfAbsent lets exactly one of many racing writers win`, async (t) => {
    const store = await make(t);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.putIfAbsent("userByEmail", "a@b.c", `u${i}`)));
    t.is(results.filter(Boolean).length, 1);
    t.is(await store.get("userByEmail", "a@b.c"), `u${results.indexOf(true)}`);
  });

  test(`${name}: journals append in order and read from an offset`, async (t) => {
    const store = await make(t);
    t.is(await store.append("show:s1", [{ n: 1 }, { n: 2 }]), 2);
    t.is(await store.append("show:s1", [{ n: 3 }]), 3);
    t.deepEqual(await store.read("show:s1"), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    t.deepEqual(await store.read("show:s1", 2), [{ n: 3 }]);
    t.deepEqual(await store.read("show:none"), []);
  });

  test(`${name}: sets and counters`, async (t) => {
    const store = await make(t);
    await store.addToSet("userBookings:u1", "b1");
    await store.addToSet("userBookings:u1", "b1");
    await store.addToSet("userBookings:u1", "b2");
    t.deepEqual((await store.members("userBookings:u1")).sort(), ["b1", "b2"]);
    await store.removeFromSet("userBookings:u1", "b1");
    await store.removeFromSet("userBookings:u1", "nobody");
    t.deepEqual(await store.members("userBookings:u1"), ["b2"]);
    const first = await store.hit("login:x", 60_000);
    const second = await store.hit("login:x", 60_000);
    t.is(first.count, 1);
    t.is(second.count, 2);
    t.true(second.resetInMs > 0 && second.resetInMs <= 60_000);
  });

  test(`${name}: a hit counted in advance can be given back, and a counter cleared`, async (t) => {
    const store = await make(t);
    if (!store) return t.pass();
    await store.hit("failures:x", 60_000);
    t.is((await store.hit("failures:x", 60_000)).count, 2);
    const given = await store.hit("failures:x", 60_000, -1);
    t.is(given.count, 1);
    t.true(given.resetInMs > 0 && given.resetInMs <= 60_000);
    await store.clearCounter("failures:x");
    t.is((await store.hit("failures:x", 60_000)).count, 1, "a cleared counter starts afresh");
  });

  test(`${name}: one lease, one owner; the epoch grows each time it changes hands`, async (t) => {
    const store = await make(t);
    const first = await store.acquireLease("shard:1", "node-a", 60_000);
    t.like(first, { granted: true });
    const epoch = first.granted ? first.epoch : 0;
    t.like(await store.acquireLease("shard:1", "node-b", 60_000), { granted: false, owner: "node-a", epoch });
    t.like(await store.acquireLease("shard:1", "node-a", 60_000), { granted: true, epoch }, "the owner renews and keeps its epoch");
    t.like(await store.leaseHolder("shard:1"), { owner: "node-a", epoch });
    t.deepEqual(await store.renewLeases([{ lease: "shard:1", epoch }, { lease: "shard:2", epoch: 1 }], "node-a", 60_000), [true, false]);
    t.deepEqual(await store.renewLeases([{ lease: "shard:1", epoch }], "node-b", 60_000), [false]);
    await store.releaseLease({ lease: "shard:1", epoch }, "node-b");
    t.like(await store.leaseHolder("shard:1"), { owner: "node-a" }, "only the owner can release");
    await store.releaseLease({ lease: "shard:1", epoch }, "node-a");
    t.is(await store.leaseHolder("shard:1"), undefined);
    const next = await store.acquireLease("shard:1", "node-b", 60_000);
    t.true(next.granted && next.epoch > epoch);
  });

  test(`${name}: a lapsed lease can be taken by another node`, async (t) => {
    const store = await make(t);
    t.like(await store.acquireLease("shard:9", "node-a", 50), { granted: true });
    await new Promise((r) => setTimeout(r, 120));
    t.is(await store.leaseHolder("shard:9"), undefined);
    t.like(await store.acquireLease("shard:9", "node-b", 60_000), { granted: true, epoch: 2 });
    t.deepEqual(await store.renewLeases([{ lease: "shard:9", epoch: 1 }], "node-a", 60_000), [false], "the old owner cannot renew");
  });

  test(`${name}: a write under a replaced epoch is refused and leaves the journal untouched`, async (t) => {
    const store = await make(t);
    const a = await store.acquireLease("shard:3", "node-a", 50);
    if (!a.granted) return t.fail();
    t.is(await store.append("show:x", [{ n: 1 }], { lease: "shard:3", epoch: a.epoch }), 1);
    await new Promise((r) => setTimeout(r, 120));
    const b = await store.acquireLease("shard:3", "node-b", 60_000);
    if (!b.granted) return t.fail();
    const stale = await t.throwsAsync(store.append("show:x", [{ n: 2 }], { lease: "shard:3", epoch: a.epoch }));
    t.is(stale?.name, "StaleEpochError");
    t.is(await store.append("show:x", [{ n: 3 }], { lease: "shard:3", epoch: b.epoch }), 2);
    t.deepEqual(await store.read("show:x"), [{ n: 1 }, { n: 3 }]);
  });

  test(`${name}: a ranked set orders by score then member, keeps a member's first score, and counts and removes`, async (t) => {
    const store = await make(t);
    if (!store) return t.pass();
    t.true(await store.addRanked("q", "carol", 0.5));
    t.true(await store.addRanked("q", "alice", 0.25));
    t.true(await store.addRanked("q", "bob", 0.5));
    t.true(await store.addRanked("q", "dave", 1_000_001));
    t.false(await store.addRanked("q", "alice", 0.9), "a second add never moves a member");
    t.deepEqual(await store.rankOf("q", "alice"), { rank: 0, score: 0.25 });
    t.deepEqual(await store.rankOf("q", "bob"), { rank: 1, score: 0.5 }, "equal scores order by member");
    t.deepEqual(await store.rankOf("q", "carol"), { rank: 2, score: 0.5 });
    t.deepEqual(await store.rankOf("q", "dave"), { rank: 3, score: 1_000_001 });
    t.is(await store.rankOf("q", "eve"), undefined);
    t.is(await store.countRanked("q"), 4);
    await store.removeRanked("q", "bob");
    await store.removeRanked("q", "nobody");
    t.is(await store.countRanked("q"), 3);
    t.deepEqual(await store.rankOf("q", "carol"), { rank: 1, score: 0.5 });
    t.is(await store.countRanked("none"), 0);
  });

  test(`${name}: of many racing adds of one member exactly one wins`, async (t) => {
    const store = await make(t);
    if (!store) return t.pass();
    const added = await Promise.all(Array.from({ length: 20 }, (_, i) => store.addRanked("q", "alice", i / 20)));
    t.is(added.filter(Boolean).length, 1);
    t.is(await store.countRanked("q"), 1);
    t.is((await store.rankOf("q", "alice"))!.score, added.indexOf(true) / 20);
  });

  test(`${name}: a document written under a replaced epoch is refused and the successor's stays`, async (t) => {
    const store = await make(t);
    if (!store) return t.pass();
    const first = await store.acquireLease("onsale:o1", "node-a", 10_000);
    if (!first.granted) return t.fail();
    await store.put("admissions", "o1", { admitted: 5 }, { lease: "onsale:o1", epoch: first.epoch });
    await store.releaseLease({ lease: "onsale:o1", epoch: first.epoch }, "node-a");
    const second = await store.acquireLease("onsale:o1", "node-b", 10_000);
    if (!second.granted) return t.fail();
    await store.put("admissions", "o1", { admitted: 9 }, { lease: "onsale:o1", epoch: second.epoch });
    await t.throwsAsync(store.put("admissions", "o1", { admitted: 6 }, { lease: "onsale:o1", epoch: first.epoch }), { name: "StaleEpochError" });
    t.deepEqual(await store.get("admissions", "o1"), { admitted: 9 });
    t.deepEqual(await store.all("admissions"), [{ admitted: 9 }]);
  });
}
