// The processor's environment, read in one place (the lead may fold it into moleculer.config.ts).
// Development defaults are test-mode keys that only work against this processor.
import { parseFaults, type FaultPlan } from "./faults.ts";

type Env = Record<string, string | undefined>;

export interface ProcessorConfig {
  port: number;
  host: string;
  publicUrl?: string;
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  webhookUrl?: string;
  redisUrl?: string;
  /** The Redis key prefix, as Marquee's own store uses it (`marquee:<NAMESPACE>`). */
  redisPrefix: string;
  faults: FaultPlan;
}

export const DEV_KEYS = {
  secretKey: "sk_test_marquee_local_processor",
  publishableKey: "pk_test_marquee_local_processor",
  webhookSecret: "whsec_marquee_local_processor",
} as const;

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${name} must be a port number (0-65535), not "${raw}"`);
  return n;
}

function key(env: Env, name: string, prefix: string, fallback: string): string {
  const value = env[name] || fallback;
  if (!value.startsWith(prefix)) throw new Error(`${name} must start with ${prefix}`);
  return value;
}

export function readProcessorConfig(env: Env = process.env): ProcessorConfig {
  const faults = parseFaults(env.PROCESSOR_FAULTS ?? "");
  if ("error" in faults) throw new Error(`PROCESSOR_FAULTS: ${faults.error}`);
  return {
    // stripe-mock's port: a familiar place for a local Stripe.
    port: port(env, "PROCESSOR_PORT", 12_111),
    host: env.PROCESSOR_HOST || "127.0.0.1",
    publicUrl: env.PROCESSOR_PUBLIC_URL || undefined,
    secretKey: key(env, "STRIPE_SECRET_KEY", "sk_test_", DEV_KEYS.secretKey),
    publishableKey: key(env, "STRIPE_PUBLISHABLE_KEY", "pk_test_", DEV_KEYS.publishableKey),
    webhookSecret: key(env, "STRIPE_WEBHOOK_SECRET", "whsec_", DEV_KEYS.webhookSecret),
    webhookUrl: env.PROCESSOR_WEBHOOK_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: `marquee:${env.NAMESPACE ?? "marquee"}`,
    faults,
  };
}
