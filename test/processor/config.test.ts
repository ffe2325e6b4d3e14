import test from "ava";
import { DEV_KEYS, readProcessorConfig } from "../../processor/config.ts";

test("with no environment the processor runs on stripe-mock's port with development test keys", (t) => {
  const config = readProcessorConfig({});
  t.like(config, { port: 12111, host: "127.0.0.1", ...DEV_KEYS, redisUrl: undefined, redisPrefix: "marquee:marquee", webhookUrl: undefined });
  t.is(config.faults.decline, 0);
});

test("the environment sets keys, webhook endpoint, Redis and faults", (t) => {
  const config = readProcessorConfig({
    PROCESSOR_PORT: "0", STRIPE_SECRET_KEY: "sk_test_x", STRIPE_PUBLISHABLE_KEY: "pk_test_x", STRIPE_WEBHOOK_SECRET: "whsec_x",
    PROCESSOR_WEBHOOK_URL: "http://127.0.0.1:3000/api/payments/webhook", REDIS_URL: "redis://r:6379", NAMESPACE: "blue", PROCESSOR_FAULTS: "decline=0.1,seed=42",
  });
  t.like(config, { port: 0, secretKey: "sk_test_x", publishableKey: "pk_test_x", webhookSecret: "whsec_x", redisUrl: "redis://r:6379", redisPrefix: "marquee:blue" });
  t.like(config.faults, { decline: 0.1, seed: 42 });
});

test("a live key, a bad port or a bad fault is refused at start, saying which", (t) => {
  t.throws(() => readProcessorConfig({ STRIPE_SECRET_KEY: "sk_live_x" }), { message: /STRIPE_SECRET_KEY must start with sk_test_/ });
  t.throws(() => readProcessorConfig({ PROCESSOR_PORT: "http" }), { message: /PROCESSOR_PORT/ });
  t.throws(() => readProcessorConfig({ PROCESSOR_FAULTS: "decline=5" }), { message: /PROCESSOR_FAULTS/ });
});
