import { RedisStore } from "../../infra/redis-store.ts";
import { startServer } from "../helpers/http.ts";
import { SHARED_REDIS, testNeeding, unreachableRedis } from "../helpers/services.ts";

const test = testNeeding(await unreachableRedis());

test("on Redis, a hold's Idempotency-Key is remembered for the configured window and then forgotten, not kept forever", async (t) => {
  const api = await startServer(t, { redisUrl: SHARED_REDIS, idempotencyRetentionMs: 3_600_000 });
  const redis = new RedisStore(SHARED_REDIS, `marquee:${api.marquee.config.namespace}`);
  t.teardown(async () => {
    const keys = await redis.redis.keys(`${redis.prefix}*`);
    if (keys.length) await redis.redis.del(...keys);
    await redis.close();
  });
  const user = await api.customer();
  const show = await api.dayAheadShow();
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats: ["A1"] }, headers: { "idempotency-key": "retention-1" } });
  t.is(hold.status, 201);
  const [key] = await redis.redis.keys(`${redis.prefix}doc:idempotency:*retention-1`);
  t.truthy(key, "the record is stored");
  const ttl = await redis.redis.pttl(key!);
  t.true(ttl > 3_500_000 && ttl <= 3_600_000, `the record lapses within the window (PTTL ${ttl} ms)`);
});
