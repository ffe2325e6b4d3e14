import test from "ava";
import { MemoryStore } from "../../infra/memory-store.ts";
import { NotOwnerError, ShardLeases } from "../../infra/shard-leases.ts";

function node(store: MemoryStore, nodeID: string, clock: { now: number }, lost: number[] = []) {
  return new ShardLeases({ store, nodeID, ttlMs: 1_000, clock: () => clock.now, onLost: (s) => lost.push(s) });
}

test("the first node to claim a shard owns it; another node learns who", async (t) => {
  const clock = { now: 0 };
  const store = new MemoryStore(() => clock.now);
  const a = node(store, "a", clock);
  const b = node(store, "b", clock);
  const fence = await a.claim(7);
  t.deepEqual(a.fence(7), fence);
  const error = await t.throwsAsync(b.claim(7));
  t.true(error instanceof NotOwnerError);
  t.is((error as NotOwnerError).owner, "a");
});

test("a node stops serving a shard before its lease can lapse in the store", async (t) => {
  const clock = { now: 0 };
  const store = new MemoryStore(() => clock.now);
  const lost: number[] = [];
  const a = node(store, "a", clock, lost);
  await a.claim(1);
  clock.now = 760; // past ttl minus the safety margin, before the store's expiry at 1000
  t.is(a.fence(1), undefined);
  t.deepEqual(lost, [1]);
  t.truthy(await store.leaseHolder("shard:1"), "the store still shows the lease: nobody else could have it yet");
});

test("renewal keeps a shard; a shard taken over while this node was paused is lost on renewal", async (t) => {
  const clock = { now: 0 };
  const store = new MemoryStore(() => clock.now);
  const lost: number[] = [];
  const a = node(store, "a", clock, lost);
  const b = node(store, "b", clock);
  await a.claim(1);
  await a.claim(2);
  clock.now = 500;
  await a.renew();
  clock.now = 1_200;
  t.truthy(a.fence(1), "renewed at 500, so still valid at 1200");
  clock.now = 2_000; // a was paused: both leases lapsed and b takes shard 2
  const taken = await b.claim(2);
  await a.renew();
  t.true(lost.includes(2));
  t.is(a.fence(2), undefined);
  t.true(taken.epoch > 1);
});

test("a released shard can be claimed by another node at once, under a larger epoch", async (t) => {
  const clock = { now: 0 };
  const store = new MemoryStore(() => clock.now);
  const a = node(store, "a", clock);
  const b = node(store, "b", clock);
  const first = await a.claim(4);
  await a.release(4);
  const second = await b.claim(4);
  t.true(second.epoch > first.epoch);
  t.deepEqual(a.held(), []);
});

test("concurrent claims of one shard make one request to the store", async (t) => {
  const clock = { now: 0 };
  const store = new MemoryStore(() => clock.now);
  let calls = 0;
  const acquire = store.acquireLease.bind(store);
  store.acquireLease = (...args) => { calls++; return acquire(...args); };
  const a = node(store, "a", clock);
  const fences = await Promise.all([a.claim(5), a.claim(5), a.claim(5)]);
  t.is(calls, 1);
  t.deepEqual(fences[0], fences[2]);
});
