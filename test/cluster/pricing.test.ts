// One owner of each show's price: with two pricing nodes, the hourly change cap starts from the
// price the show's actor recorded, so both nodes quote the same seats the same in the same second,
// even after demand has jumped and one of them has never priced the show before.
import { ServiceBroker } from "moleculer";
import type { Quote } from "../../domain/pricing/quote.ts";
import { httpJson, laterShows, startCluster, startNats, startRedis } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries("nats-server", "redis-server"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.serial("two pricing nodes quote a show the same in the same second, both capped from the price its actor published", async (t) => {
  t.timeout(120_000);
  const nats = await startNats(t);
  const redis = await startRedis(t);
  const cluster = await startCluster(t, { nats, redis });
  const edge = cluster.edges[0]!.url!;
  const [main1, main2] = cluster.mains as [typeof cluster.mains[0], typeof cluster.mains[0]];

  const [listed] = await laterShows(edge);
  const show = (await httpJson(edge, "GET", `/api/shows/${listed!.id}`)).body as { id: string; seats: { id: string; status: string }[] };
  const free = show.seats.filter((s) => s.status === "available").map((s) => s.id);

  const probe = new ServiceBroker({ namespace: cluster.namespace, transporter: nats.url as "NATS", logger: false, nodeID: `probe-${process.pid}` });
  await probe.start();
  t.teardown(() => probe.stop());
  await probe.waitForServices({ name: "pricing" }, 10_000);
  for (let i = 0; i < 40 && !(probe.registry.nodes.get(main2.nodeID)?.available && probe.registry.nodes.get(main1.nodeID)?.available); i++) await sleep(250);
  const quoteAt = (nodeID: string) => probe.call<Quote, object>("pricing.quote", { showId: show.id, seats: [free.at(-1)!] }, { nodeID });

  // The first node prices the show: its actor records the published price.
  const before = await quoteAt(main1.nodeID);

  // Demand jumps: half the free seats held at once (occupancy and pace both move the price up).
  const wanted = free.slice(0, Math.floor(free.length / 2));
  for (let i = 0; i < wanted.length; i += 10) {
    const reg = await httpJson(edge, "POST", "/api/auth/register", { body: { email: `p${i}-${process.pid}-${Date.now()}@example.com`, password: "correct horse battery", name: "P" } });
    const held = await httpJson(edge, "POST", `/api/shows/${show.id}/holds`, { token: reg.body.token, body: { seats: wanted.slice(i, i + 10) } });
    t.is(held.status, 201, JSON.stringify(held.body));
  }
  await sleep(1_200); // past each node's one-second price cache

  // The second node has never priced this show; it must still cap from the published price.
  const [first, second] = await Promise.all([quoteAt(main1.nodeID), quoteAt(main2.nodeID)]);
  t.is(second.total, first.total, `main-1 ${first.total}, main-2 ${second.total}`);
  t.deepEqual(second.seatPrices, first.seatPrices);
  const capped = (q: Quote) => q.lines.some((l) => l.factor === "guard_rails" && /per hour/.test(l.reason));
  t.true(capped(second), `the second node capped its price: ${JSON.stringify(second.lines.filter((l) => l.factor === "guard_rails"))}`);
  t.log(`one seat: ${before.total} before, ${first.total} on both nodes after demand jumped`);
});
