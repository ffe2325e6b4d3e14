// Starts a broker with the given services on a private namespace and stops it in teardown.
import type { ExecutionContext } from "ava";
import { ServiceBroker } from "moleculer";
import { brokerOptions, readConfig, type MarqueeConfig } from "../../moleculer.config.ts";
import { MemoryStore } from "../../infra/memory-store.ts";
import type { Store } from "../../infra/store.ts";
import type { ServiceFactory } from "../../services/deps.ts";

let counter = 0;

/** Test config: quiet, cheap password hashing, private namespace. */
export function testConfig(overrides: Partial<MarqueeConfig> = {}): MarqueeConfig {
  return {
    ...readConfig({ LOG_LEVEL: "off", SCRYPT_N: "1024", SEED_DEMO: "false", PORT: "0", HOST: "127.0.0.1", SIGNUP_MAX_PER_ADDRESS: "100000", OPERATOR_PORT: "off", PROCESSOR_PORT: "0" }),
    namespace: `test-${process.pid}-${++counter}`,
    // Tests fire hundreds of requests at once to check behaviour, not capacity: nothing is shed
    // unless a test asks for a bound (test/http/shedding.test.ts).
    shedMaxWrites: 0,
    shedMaxReads: 0,
    ...overrides,
  };
}

export async function startBroker(
  t: ExecutionContext,
  factories: ServiceFactory[],
  overrides: Partial<MarqueeConfig> = {},
  store: Store = new MemoryStore(),
): Promise<{ broker: ServiceBroker; config: MarqueeConfig; store: Store }> {
  const config = testConfig(overrides);
  const broker = new ServiceBroker({ ...brokerOptions(config), nodeID: `test-node-${counter}` });
  for (const factory of factories) broker.createService(factory({ config, store }));
  t.teardown(() => broker.stop());
  await broker.start();
  return { broker, config, store };
}
