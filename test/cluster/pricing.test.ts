// One owner of each show's price: the show's actor prices its own seats, so every gateway quotes a
// show alike, the hourly change cap starts from the price recorded in the show's journal (also on
// a node that takes the show over), and a rule change published by one pricing node reaches the
// show nodes at once.
import type { ExecutionContext } from "ava";
import { ServiceBroker } from "moleculer";
import type { Quote } from "../../domain/pricing/quote.ts";
import { shardLease, shardOf } from "../../infra/placement.ts";
import { RedisStore } from "../../infra/redis-store.ts";
import { httpJson, laterShows, startCluster, startNats, startRedis } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries("nats-server", "redis-server"));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const capped = (q: Quote) => q.lines.some((l) => l.factor === "guard_rails" && /per hour/.test(l.reason));

async function pricedCluster(t: ExecutionContext) {
  t.timeout(120_000);
  const nats = await startNats(t);
  const redis = await startRedis(t);
  const cluster = await startCluster(t, { nats, redis });
  const [listed] = await laterShows(cluster.edges[0]!.url!);
  const show = (await httpJson(cluster.edges[0]!.url!, "GET", `/api/shows/${listed!.id}`)).body as { id: string; localDate: string; seats: { id: string; status: string }[] };
  const store = new RedisStore(redis.url, `marquee:${cluster.namespace}`);
  t.teardown(() => store.close());
  const owner = async () => (await store.leaseHolder(shardLease(shardOf(show.id, 64))))?.owner;
  const quoteAt = async (edge: number, seats: string[]) => {
    const reply = await httpJson(cluster.edges[edge]!.url!, "GET", `/api/shows/${show.id}/quote?seats=${seats.join(",")}`);
    t.is(reply.status, 200, JSON.stringify(reply.body));
    return reply.body as Quote;
  };
  return { cluster, natsUrl: nats.url, show, owner, quoteAt, free: show.seats.filter((s) => s.status === "available").map((s) => s.id) };
}

test.serial("both gateways quote a show the same in the same second, capped from the price its actor published, also after the show moves", async (t) => {
  const { cluster, show, owner, quoteAt, free } = await pricedCluster(t);
  const edge = cluster.edges[0]!.url!;
  const seat = [free.at(-1)!];
  const before = await quoteAt(0, seat);

  // Demand jumps: half the free seats held at once (occupancy and pace both move the price up).
  const wanted = free.slice(0, Math.floor(free.length / 2));
  for (let i = 0; i < wanted.length; i += 10) {
    const reg = await httpJson(edge, "POST", "/api/auth/register", { body: { email: `p${i}-${process.pid}-${Date.now()}@example.com`, password: "correct horse battery", name: "P" } });
    const held = await httpJson(edge, "POST", `/api/shows/${show.id}/holds`, { token: reg.body.token, body: { seats: wanted.slice(i, i + 10) } });
    t.is(held.status, 201, JSON.stringify(held.body));
  }
  await sleep(1_200); // past the owner's one-second price cache

  const [first, second] = await Promise.all([quoteAt(0, seat), quoteAt(1, seat)]);
  t.is(second.total, first.total, `edge-1 ${first.total}, edge-2 ${second.total}`);
  t.deepEqual(second.seatPrices, first.seatPrices);
  t.true(capped(first), `the price was capped: ${JSON.stringify(first.lines.filter((l) => l.factor === "guard_rails"))}`);

  // The owner stops: the other main node, which never priced this show, takes it over and caps
  // from the price recorded in the show's journal.
  const was = await owner();
  const leaving = cluster.mains.find((m) => m.nodeID === was)!;
  await leaving.stop();
  const after = await quoteAt(0, seat);
  t.not(await owner(), was);
  t.true(capped(after), `the new owner capped its price: ${JSON.stringify(after.lines.filter((l) => l.factor === "guard_rails"))}`);
  // Seconds later the cap has moved by a few millionths: the same price point.
  t.is(after.total, first.total);
  t.log(`one seat: ${before.total} before, ${first.total} on both gateways after demand jumped, ${after.total} from the new owner`);
});

test.serial("a rule change published by one pricing node changes the quotes of a show owned by the other node at once", async (t) => {
  const { cluster, natsUrl, show, owner, quoteAt, free } = await pricedCluster(t);
  const seat = [free[0]!];
  const before = await quoteAt(0, seat);
  const showOwner = await owner();
  const publisher = cluster.mains.find((m) => m.nodeID !== showOwner)!;
  t.truthy(showOwner);

  const probe = new ServiceBroker({ namespace: cluster.namespace, transporter: natsUrl as "NATS", logger: false, nodeID: `probe-${process.pid}` });
  await probe.start();
  t.teardown(() => probe.stop());
  await probe.waitForServices({ name: "pricing" }, 10_000);
  for (let i = 0; i < 40 && !probe.registry.nodes.get(publisher.nodeID)?.available; i++) await sleep(250);
  const admin = { id: "admin", email: "admin@marquee.local", name: "Admin", role: "admin" };
  const festival = { collection: "festivals", id: "cluster-day", name: "Cluster Day", from: show.localDate, to: show.localDate, multiplier: 1.5 };
  await probe.call("pricing.upsert", festival, { nodeID: publisher.nodeID, meta: { caller: admin } });

  // No wait: the owner applied the new book before it could see this request.
  const [after, otherGateway] = await Promise.all([quoteAt(0, seat), quoteAt(1, seat)]);
  for (const quote of [after, otherGateway]) {
    t.true(quote.lines.some((l) => l.factor === "festival" && l.reason.includes("Cluster Day")), JSON.stringify(quote.lines.map((l) => l.factor)));
    t.true(quote.total > before.total, `${quote.total} > ${before.total}`);
  }
  t.log(`one seat: ${before.total} before, ${after.total} right after the festival was published on ${publisher.name} (the show lives on ${showOwner})`);
});
