// The waiting room on a real cluster: the queue lives in Redis and the admission tick runs on
// whichever gateway holds the on-sale's lease. Killing that node (a gateway and the tick's
// owner at once) loses no place, the other gateway answers the same places, and admission
// resumes there within a lease period, with a larger epoch.
import { RedisStore } from "../../infra/redis-store.ts";
import { httpJson, startCluster, startNats, startRedis } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries("nats-server", "redis-server"));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, attempt: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined && done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(value)})`);
    await sleep(250);
  }
}

test.serial("the queue survives the kill of the gateway running the admission tick: same places on the other gateway, admission resumes there", async (t) => {
  t.timeout(180_000);
  const nats = await startNats(t);
  const redis = await startRedis(t);
  const cluster = await startCluster(t, { nats, redis, mains: 1, edges: 2 });
  const store = new RedisStore(redis.url, `marquee:${cluster.namespace}`);
  t.teardown(() => store.close());
  const [a, b] = cluster.edges.map((e) => e.url!) as [string, string];

  const listed = await until("demo shows listed", () => httpJson(a, "GET", "/api/shows"), (r) => Array.isArray(r.body) && r.body.some((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 86_400_000));
  const show = listed.body.find((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 86_400_000);
  const admin = (await httpJson(a, "POST", "/api/auth/login", { body: { email: "admin@marquee.local", password: "marquee-admin" } })).body.token;
  // 30 a minute: one customer every two seconds, so most are still waiting when the node dies.
  const sale = await httpJson(a, "POST", "/api/admin/onsales", { token: admin, body: { shows: [show.id], opensAt: new Date(Date.now() + 3_000).toISOString(), admissionRate: 30, finishWithinSeconds: 300, maxTicketsPerAccount: 4 } });
  t.is(sale.status, 201, JSON.stringify(sale.body));
  const onsaleId = sale.body.id as string;

  const tokens: string[] = [];
  for (let i = 0; i < 8; i++) {
    const edge = i % 2 ? b : a;
    const reg = await httpJson(edge, "POST", "/api/auth/register", { body: { email: `fan${i}-${process.pid}-${Date.now()}@example.com`, password: "correct horse battery", name: `Fan ${i}` } });
    tokens.push(reg.body.token);
    t.is((await httpJson(edge, "POST", `/api/onsales/${onsaleId}/queue`, { token: reg.body.token })).status, 201);
  }
  const position = (edge: string, token: string) => httpJson(edge, "GET", `/api/onsales/${onsaleId}/queue`, { token }).then((r) => r.body);
  await until("the opening and someone let in", () => httpJson(a, "GET", `/api/onsales/${onsaleId}`).then((r) => r.body), (o) => o.admitted >= 1);
  const places = await Promise.all(tokens.map((token) => position(a, token).then((p) => p.place as number)));
  t.deepEqual([...places].sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8]);

  const holder = await store.leaseHolder(`onsale:${onsaleId}`);
  t.truthy(holder, "one node owns the tick");
  const owner = cluster.edges.find((e) => e.nodeID === holder!.owner)!;
  const survivor = cluster.edges.find((e) => e !== owner)!.url!;
  const before = (await position(survivor, tokens[0]!)) as { queueLength: number };
  const admittedBefore = (await httpJson(survivor, "GET", `/api/onsales/${onsaleId}`)).body.admitted as number;
  await owner.kill();

  // Same places, from the gateway that is left.
  const after = await Promise.all(tokens.map((token) => position(survivor, token).then((p) => p.place as number)));
  t.deepEqual(after, places, "no place lost or moved");
  t.is(before.queueLength, 8);
  // The tick moves to the survivor (its lease lapses in LEASE_TTL_MS) and lets more in.
  const resumed = await until("admission resumes", () => httpJson(survivor, "GET", `/api/onsales/${onsaleId}`).then((r) => r.body), (o) => o.admitted >= admittedBefore + 2, 30_000);
  t.true(resumed.admitted >= admittedBefore + 2);
  const successor = await store.leaseHolder(`onsale:${onsaleId}`);
  t.not(successor!.owner, holder!.owner);
  t.true(successor!.epoch > holder!.epoch, "a new epoch fences off the dead owner");

  // A customer let in holds with their pass through the surviving gateway.
  const firstIn = tokens[places.indexOf(1)]!;
  const mine = await until("first customer admitted", () => position(survivor, firstIn), (p) => p.status === "admitted");
  const seat = (await httpJson(survivor, "GET", `/api/shows/${show.id}`)).body.seats.find((s: { status: string }) => s.status === "available").id;
  const held = await httpJson(survivor, "POST", `/api/shows/${show.id}/holds`, { token: firstIn, body: { seats: [seat], queuePass: mine.pass } });
  t.is(held.status, 201, JSON.stringify(held.body));
});
