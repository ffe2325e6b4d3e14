// Finds the Redis and NATS a test may use. Without them a test skips with what to install,
// except under CI=true where a missing service is a failure.
import type { ExecutionContext } from "ava";
import { execFileSync } from "node:child_process";
import { Redis } from "ioredis";

export const SHARED_REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export function hasBinary(name: string): boolean {
  try {
    execFileSync("which", [name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** True when Redis answers; otherwise skips the test (or fails it under CI). */
export async function requireRedis(t: ExecutionContext, url = SHARED_REDIS): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return true;
  } catch {
    const message = `Redis is not reachable at ${url}: install and start it (Debian: apt-get install redis-server) or set TEST_REDIS_URL`;
    if (process.env.CI === "true") t.fail(message);
    else t.log(`SKIPPED: ${message}`);
    return false;
  } finally {
    probe.disconnect();
  }
}
