// The fault-test harness itself: private servers survive a SIGKILL + restart on the same port.
import { createConnection } from "node:net";
import { Redis } from "ioredis";
import { startNats, startRedis } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

function client(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: () => null });
  redis.on("error", () => undefined);
  return redis;
}

testNeeding(missingBinaries("redis-server"))("private redis with AOF keeps an acknowledged write across SIGKILL and restart", async (t) => {
  const server = await startRedis(t, { aof: true });
  const before = client(server.url);
  t.teardown(() => before.disconnect());
  await before.set("harness:key", "survives");
  await server.kill();
  await server.restart();
  const after = client(server.url);
  t.teardown(() => after.disconnect());
  t.is(await after.get("harness:key"), "survives");
  t.is(server.url, `redis://127.0.0.1:${server.port}`);
});

testNeeding(missingBinaries("nats-server"))("private nats comes back on the same port after restart", async (t) => {
  const nats = await startNats(t);
  const greet = (): Promise<string> => new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port: nats.port });
    const timer = setTimeout(() => { socket.destroy(); reject(new Error("no INFO within 2 s")); }, 2_000);
    socket.once("error", (error) => { clearTimeout(timer); reject(error); });
    socket.once("data", (chunk: Buffer) => { clearTimeout(timer); socket.destroy(); resolve(chunk.toString("utf8")); });
  });
  t.true((await greet()).startsWith("INFO"));
  await nats.kill();
  await t.throwsAsync(greet());
  await nats.restart();
  t.true((await greet()).startsWith("INFO"));
  t.is(nats.url, `nats://127.0.0.1:${nats.port}`);
});
