// The show host without a broker: activation under the shard's lease, passivation, one owner
// per show across hosts sharing a store, and hand-over.
import test from "ava";
import type { ShowCommand } from "../../domain/show/types.ts";
import { holdView } from "../../domain/show/views.ts";
import { MemoryStore } from "../../infra/memory-store.ts";
import { NotOwnerError, ShardLeases } from "../../infra/shard-leases.ts";
import { ShowActor } from "../../infra/show-actor.ts";
import { ShowHost } from "../../infra/show-host.ts";

const HOUR = 3_600_000;
const SHARDS = 4;
const seats = ["A1", "A2", "A3"].map((id) => ({ id, forSale: true }));
const hold = (showId: string, holdId: string, seat: string): ShowCommand =>
  ({ type: "HoldSeats", holdId, userId: `u-${holdId}`, seats: [seat], quote: { showId, currency: "INR", total: 100, seatPrices: { [seat]: 100 }, lines: [], quotedAt: "" }, ttlMs: HOUR, maxSeats: 4 });
// Shows named so that each lands on a shard of its own number: "s<shard>-<n>".
const shardOf = (showId: string) => Number(/^s(\d+)-/.exec(showId)![1]) % SHARDS;

function hostOn(store: MemoryStore, nodeID: string, options: { maxActive?: number; elsewhere?: (shard: number) => string | undefined; failFirst?: boolean } = {}) {
  const leases = new ShardLeases({ store, nodeID, ttlMs: 2_000, onLost: () => undefined });
  let activations = 0;
  let failNext = options.failFirst ?? false;
  const host = new ShowHost({
    leases, shardOf, maxActive: options.maxActive ?? 100, idleMs: HOUR, elsewhere: options.elsewhere ?? (() => undefined),
    activate: async (showId, fence) => {
      activations++;
      if (failNext) {
        failNext = false;
        throw new Error("the catalog did not answer");
      }
      const actor = await ShowActor.activate(showId, { store, fence });
      if (!actor.scheduled) await actor.execute({ type: "ScheduleShow", showId, startsAt: Date.now() + 10 * HOUR, seats });
      return actor;
    },
  });
  return { host, leases, activations: () => activations };
}

test("idle shows beyond the bound are passivated and come back from the store with every hold", async (t) => {
  const store = new MemoryStore();
  const { host, activations } = hostOn(store, "n1", { maxActive: 2 });
  for (const showId of ["s0-a", "s1-b", "s2-c"]) t.true((await host.execute(showId, hold(showId, `h-${showId}`, "A1"))).ok);
  t.is(host.size, 2, "the least recently used show was passivated");
  t.is(activations(), 3);
  const back = await host.actor("s0-a");
  t.is(activations(), 4, "the passivated show was activated again");
  t.is(holdView(back.state, "h-s0-a")?.status, "active");
  await host.stop();
});

test("two hosts sharing a store never both serve a show: the second is told who owns it", async (t) => {
  const store = new MemoryStore();
  const first = hostOn(store, "n1");
  const second = hostOn(store, "n2");
  t.true((await first.host.execute("s1-x", hold("s1-x", "h1", "A1"))).ok);
  const refused = await t.throwsAsync(second.host.execute("s1-x", hold("s1-x", "h2", "A2")), { instanceOf: NotOwnerError });
  t.is((refused as NotOwnerError).owner, "n1");
  t.is(second.activations(), 0, "the second host never loaded the show");
  await first.host.stop();
});

test("a shard handed over is served by the next host at once, with what the first one accepted", async (t) => {
  const store = new MemoryStore();
  const first = hostOn(store, "n1");
  const second = hostOn(store, "n2");
  t.true((await first.host.execute("s2-y", hold("s2-y", "h1", "A1"))).ok);
  await first.host.handOver(2);
  t.is(first.leases.held().length, 0);
  const reply = await second.host.execute("s2-y", hold("s2-y", "h2", "A1"));
  t.false(reply.ok, "A1 is still held by the first customer");
  t.is(holdView(reply.state, "h1")?.status, "active");
  await second.host.stop();
});

test("a free shard that belongs elsewhere is not taken: the caller is pointed at its node", async (t) => {
  const store = new MemoryStore();
  const { host, leases } = hostOn(store, "n1", { elsewhere: (shard) => (shard === 3 ? "n9" : undefined) });
  const refused = await t.throwsAsync(host.actor("s3-z"), { instanceOf: NotOwnerError });
  t.is((refused as NotOwnerError).owner, "n9");
  t.deepEqual(leases.held(), [], "no lease was taken");
  t.truthy(await host.actor("s1-z"));
  await host.stop();
});

test("a failed activation does not stick: the next request activates the show", async (t) => {
  const store = new MemoryStore();
  const { host, activations } = hostOn(store, "n1", { failFirst: true });
  await t.throwsAsync(host.actor("s0-f"), { message: /catalog/ });
  t.truthy(await host.actor("s0-f"));
  t.is(activations(), 2);
  await host.stop();
});
