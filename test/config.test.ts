import test from "ava";
import { spawnSync } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { insecureDefaults, readConfig } from "../moleculer.config.ts";

const SECRET = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const WEBHOOK_SECRET = "whsec_a_signing_secret_of_our_own";

test("production refuses the public token secret, admin password and webhook secret, naming what to set", (t) => {
  const error = t.throws(() => readConfig({ NODE_ENV: "production" }));
  t.regex(error.message, /set TOKEN_SECRET/);
  t.regex(error.message, /set ADMIN_PASSWORD/);
  t.regex(error.message, /STRIPE_WEBHOOK_SECRET is the public development secret/);
  t.regex(t.throws(() => readConfig({ NODE_ENV: "production", TOKEN_SECRET: SECRET })).message, /ADMIN_PASSWORD/);
  t.regex(t.throws(() => readConfig({ NODE_ENV: "production", ADMIN_PASSWORD: "a password of our own" })).message, /TOKEN_SECRET/);
});

test("a token secret shorter than 32 bytes is refused, in production as in development", (t) => {
  for (const NODE_ENV of ["production", "development"]) {
    t.regex(t.throws(() => readConfig({ NODE_ENV, TOKEN_SECRET: "x".repeat(31), ADMIN_PASSWORD: "a password of our own" })).message, /TOKEN_SECRET must be at least 32 bytes/);
  }
});

test("production starts with its own secrets and admin password", (t) => {
  const config = readConfig({ NODE_ENV: "production", TOKEN_SECRET: SECRET, ADMIN_PASSWORD: "a password of our own", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET });
  t.true(config.production);
  t.deepEqual(insecureDefaults(config), []);
});

test("development keeps the defaults but lists each as a warning", (t) => {
  const config = readConfig({});
  t.false(config.production);
  t.is(insecureDefaults(config).length, 3);
});

test("`npm start` in production with the defaults exits before listening and says what to set", (t) => {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const run = spawnSync(process.execPath, ["index.ts"], { cwd: root, env: { ...process.env, NODE_ENV: "production", TOKEN_SECRET: "", ADMIN_PASSWORD: "", PORT: "0" }, encoding: "utf8", timeout: 30_000 });
  t.is(run.status, 2);
  t.regex(run.stderr, /set TOKEN_SECRET to a random secret/);
  t.regex(run.stderr, /set ADMIN_PASSWORD/);
});

test("`npm start` with the card processor's port taken names that setting, not PORT", async (t) => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  t.teardown(() => taken.close());
  const port = (taken.address() as AddressInfo).port;
  const root = fileURLToPath(new URL("..", import.meta.url));
  const run = spawnSync(process.execPath, ["index.ts"], { cwd: root, env: { ...process.env, PORT: "0", HOST: "127.0.0.1", PROCESSOR_PORT: String(port), OPERATOR_PORT: "off", SEED_DEMO: "false", LOG_LEVEL: "error" }, encoding: "utf8", timeout: 30_000 });
  t.is(run.status, 1);
  t.regex(run.stderr, new RegExp(`port ${port} is taken; set PROCESSOR_PORT to a free one`));
});

test("the local processor takes test-mode keys only, and a mistyped fault switch stops the start", (t) => {
  t.throws(() => readConfig({ STRIPE_SECRET_KEY: "sk_live_x" }), { message: /STRIPE_SECRET_KEY must start with sk_test_/ });
  t.throws(() => readConfig({ STRIPE_WEBHOOK_SECRET: "secret" }), { message: /STRIPE_WEBHOOK_SECRET must start with whsec_/ });
  t.throws(() => readConfig({ PROCESSOR_FAULTS: "decline=5" }), { message: /PROCESSOR_FAULTS/ });
  t.like(readConfig({ PROCESSOR_FAULTS: "decline=0.1,seed=42", PROCESSOR_PORT: "0" }), { processorFaults: "decline=0.1,seed=42", payments: { processorPort: 0, provider: "local" } });
});

test("Stripe itself needs its keys, and may take live ones", (t) => {
  t.throws(() => readConfig({ PAYMENTS: "stripe" }), { message: /PAYMENTS=stripe needs STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET/ });
  const config = readConfig({ PAYMENTS: "stripe", STRIPE_SECRET_KEY: "sk_live_x", STRIPE_PUBLISHABLE_KEY: "pk_live_x", STRIPE_WEBHOOK_SECRET: "whsec_x" });
  t.like(config.payments, { provider: "stripe", secretKey: "sk_live_x", apiBase: undefined });
});
