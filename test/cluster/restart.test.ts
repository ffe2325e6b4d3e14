// One process with REDIS_URL, killed with SIGKILL and started again: the new process has a new
// node id (the default is host-pid), and must serve the shows the dead one had touched as soon
// as the dead holder's leases lapse (LEASE_TTL_MS), not answer NOT_OWNER until some long lease
// runs out.
import { shardLease, shardOf } from "../../infra/placement.ts";
import { RedisStore } from "../../infra/redis-store.ts";
import { httpJson, laterShows, startNode, startRedis } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const LEASE_TTL_MS = 2_000;

testNeeding(missingBinaries("redis-server")).serial("one node with Redis killed -9 and restarted under a new id serves its shows again once the old lease lapses", async (t) => {
  t.timeout(120_000);
  const redis = await startRedis(t, { aof: true });
  const namespace = `restart-${process.pid}-${Date.now()}`;
  const env = { REDIS_URL: redis.url, NAMESPACE: namespace, LEASE_TTL_MS: String(LEASE_TTL_MS) };
  const store = new RedisStore(redis.url, `marquee:${namespace}`);
  t.teardown(() => store.close());

  const first = await startNode(t, env, { name: "solo" });
  const [show] = await laterShows(first.url!);
  const register = await httpJson(first.url!, "POST", "/api/auth/register", { body: { email: `solo-${Date.now()}@example.com`, password: "correct horse battery", name: "Solo" } });
  const token = register.body.token as string;
  const before = await httpJson(first.url!, "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["A1"] } });
  t.is(before.status, 201);
  const lease = shardLease(shardOf(show.id, 64));
  const held = await store.leaseHolder(lease);
  t.is(held?.owner, first.nodeID);
  // No lease outlives its holder by more than LEASE_TTL_MS.
  t.true(held!.remainingMs <= LEASE_TTL_MS, `lease lasts ${held!.remainingMs} ms`);

  await first.kill();
  const second = await startNode(t, { ...env, SEED_DEMO: "false" }, { name: "solo" });
  t.not(second.nodeID, first.nodeID);

  // Once the dead holder's lease has lapsed, the first hold must succeed; anything else (a
  // NOT_OWNER naming the dead node, a 500) fails the test.
  await new Promise((resolve) => setTimeout(resolve, LEASE_TTL_MS + 500));
  const other = await httpJson(second.url!, "POST", "/api/auth/register", { body: { email: `solo2-${Date.now()}@example.com`, password: "correct horse battery", name: "Other" } });
  const after = await httpJson(second.url!, "POST", `/api/shows/${show.id}/holds`, { token: other.body.token, body: { seats: ["A2"] } });
  t.is(after.status, 201, JSON.stringify(after.body));
  t.is((await store.leaseHolder(lease))?.owner, second.nodeID);
  // The hold taken before the crash came back from Redis with its seat.
  const kept = await httpJson(second.url!, "GET", `/api/holds/${before.body.id}`, { token });
  t.is(kept.body.status, "active");
  const seats = (await httpJson(second.url!, "GET", `/api/shows/${show.id}`)).body.seats as { id: string; status: string }[];
  t.deepEqual(["A1", "A2"].map((id) => seats.find((s) => s.id === id)?.status), ["held", "held"]);
});
