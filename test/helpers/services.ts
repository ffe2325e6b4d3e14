// What a test file needs from the machine (binaries, the shared Redis). Decided when the file
// loads: a test that cannot run is registered with test.skip, so ava reports it as skipped and
// its title says what to install. Under CI=true nothing skips: the test runs and fails, naming
// what is missing.
import test, { type ExecutionContext } from "ava";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { Redis } from "ioredis";

export const SHARED_REDIS = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const CHROMIUM = "/usr/bin/chromium";

export function hasBinary(name: string): boolean {
  try {
    execFileSync("which", [name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** What to install for the binaries (on PATH, or absolute paths) that are missing; undefined when all are there. */
export function missingBinaries(...names: string[]): string | undefined {
  const missing = names.filter((name) => (name.startsWith("/") ? !existsSync(name) : !hasBinary(name)));
  if (missing.length === 0) return undefined;
  const packages = missing.map((name) => name.split("/").pop()!);
  return `needs ${missing.join(" and ")}: apt-get install ${packages.join(" ")}`;
}

/** What to do when Redis does not answer at `url`; undefined when it does. */
export async function unreachableRedis(url = SHARED_REDIS): Promise<string | undefined> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return undefined;
  } catch {
    return `needs Redis at ${url}: apt-get install redis-server, or set TEST_REDIS_URL`;
  } finally {
    probe.disconnect();
  }
}

type Impl = (t: ExecutionContext) => unknown;
interface Register { (title: string, impl: Impl): void; serial(title: string, impl: Impl): void }

/**
 * `test` and `test.serial` for tests that need what `missing` describes (undefined: nothing is
 * missing). Missing outside CI: registered as skipped, the title saying what to install. Missing
 * under CI=true: the test runs and fails with that message.
 */
export function testNeeding(missing: string | undefined): Register {
  const ci = process.env.CI === "true";
  const failing = (impl: Impl): Impl => (missing && ci ? (t) => t.fail(`${missing} (CI=true: nothing may skip)`) : impl);
  const register = (title: string, impl: Impl) => {
    if (missing && !ci) test.skip(`${title} [${missing}]`, impl);
    else test(title, failing(impl));
  };
  register.serial = (title: string, impl: Impl) => {
    if (missing && !ci) test.serial.skip(`${title} [${missing}]`, impl);
    else test.serial(title, failing(impl));
  };
  return register;
}
