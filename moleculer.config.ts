// The one place that reads the environment. Everything else receives a MarqueeConfig.
import type { BrokerOptions } from "moleculer";

export const ALL_SERVICES = ["api", "admin", "show", "catalog", "pricing", "payment", "auth", "onsale"] as const;
export type ServiceName = (typeof ALL_SERVICES)[number];

export interface MarqueeConfig {
  /** Gateway port; 0 picks a free one (tests). */
  port: number;
  host: string;
  nodeID: string | undefined;
  namespace: string;
  /** Moleculer transporter URL; undefined = embedded single-process broker. */
  transporter: string | undefined;
  /** Redis URL; undefined = in-memory stores. */
  redisUrl: string | undefined;
  services: ServiceName[];
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | false;
  holdTtlMs: number;
  maxSeatsPerHold: number;
  /** How much a hold may be stretched, once, while its payment is being charged. */
  paymentGraceMs: number;
  /** Bookings can be cancelled until this long before the show starts. */
  cancelCutoffMs: number;
  adminEmail: string;
  adminPassword: string;
  tokenSecret: string;
  tokenTtlSeconds: number;
  /** scrypt cost N (a power of two); r and p stay at OWASP's 8 and 5. */
  scryptN: number;
  loginMaxPerAccount: number;
  loginMaxPerAddress: number;
  loginWindowMs: number;
  /** Seed the demo catalog on start (idempotent). */
  seedDemo: boolean;
  /** Largest accepted JSON body. */
  maxBodyBytes: string;
  /** Shows are grouped into this many shards; each shard has one owner node at a time. */
  showShards: number;
  /** How long a shard lease lasts without renewal: the failover time after a node dies. */
  leaseTtlMs: number;
  /** Show actors kept in memory per node; the least recently used are passivated. */
  maxActiveShows: number;
  /** An actor untouched this long is passivated (longer than a hold can live). */
  showIdleMs: number;
  /** Load shedding: most writes (holds, bookings, payments...) and reads in flight per gateway node; 0 = no bound. */
  shedMaxWrites: number;
  shedMaxReads: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"; fix it in the environment or unset it for the default ${fallback}`);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  return !["0", "false", "no", "off"].includes(raw.toLowerCase());
}

function services(raw: string | undefined): ServiceName[] {
  if (!raw) return [...ALL_SERVICES];
  const names = raw.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(ALL_SERVICES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`SERVICES names unknown services: ${unknown.join(", ")}; choose from ${ALL_SERVICES.join(", ")}`);
  return names as ServiceName[];
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

export function readConfig(env: Env = process.env): MarqueeConfig {
  const logLevel = (env.LOG_LEVEL ?? "info").toLowerCase();
  const tokenSecret = env.TOKEN_SECRET ?? "marquee-dev-secret-change-me-in-production";
  if (tokenSecret.length < 32) throw new Error("TOKEN_SECRET must be at least 32 characters; generate one with: openssl rand -hex 32");
  return {
    port: int(env, "PORT", 3000),
    host: env.HOST ?? "0.0.0.0",
    nodeID: env.NODE_ID || undefined,
    namespace: env.NAMESPACE ?? "marquee",
    transporter: env.TRANSPORTER || undefined,
    redisUrl: env.REDIS_URL || undefined,
    services: services(env.SERVICES),
    logLevel: logLevel === "off" || logLevel === "false" ? false : (LOG_LEVELS as readonly string[]).includes(logLevel) ? (logLevel as MarqueeConfig["logLevel"]) : "info",
    holdTtlMs: int(env, "HOLD_TTL_MS", 8 * 60_000, 1),
    maxSeatsPerHold: int(env, "MAX_SEATS_PER_HOLD", 10, 1),
    paymentGraceMs: int(env, "PAYMENT_GRACE_MS", 60_000, 0),
    cancelCutoffMs: int(env, "CANCEL_CUTOFF_MS", 2 * 3_600_000, 0),
    adminEmail: (env.ADMIN_EMAIL ?? "admin@marquee.local").toLowerCase(),
    adminPassword: env.ADMIN_PASSWORD ?? "marquee-admin",
    tokenSecret,
    tokenTtlSeconds: int(env, "TOKEN_TTL_SECONDS", 12 * 3600, 1),
    scryptN: int(env, "SCRYPT_N", 16_384, 2),
    loginMaxPerAccount: int(env, "LOGIN_MAX_PER_ACCOUNT", 5, 1),
    loginMaxPerAddress: int(env, "LOGIN_MAX_PER_ADDRESS", 50, 1),
    loginWindowMs: int(env, "LOGIN_WINDOW_MS", 15 * 60_000, 1),
    seedDemo: bool(env, "SEED_DEMO", true),
    maxBodyBytes: env.MAX_BODY ?? "64kb",
    showShards: int(env, "SHOW_SHARDS", 64, 1),
    leaseTtlMs: int(env, "LEASE_TTL_MS", 2_000, 300),
    maxActiveShows: int(env, "MAX_ACTIVE_SHOWS", 10_000, 1),
    showIdleMs: int(env, "SHOW_IDLE_MS", 15 * 60_000, 1_000),
    shedMaxWrites: int(env, "SHED_MAX_WRITES", 256, 0),
    shedMaxReads: int(env, "SHED_MAX_READS", 1024, 0),
  };
}

export function brokerOptions(cfg: MarqueeConfig): BrokerOptions {
  const clustered = cfg.transporter !== undefined;
  return {
    namespace: cfg.namespace,
    nodeID: cfg.nodeID,
    // A URL string ("nats://host:4222") is what Moleculer resolves; its typings only list names.
    transporter: (cfg.transporter ?? null) as BrokerOptions["transporter"],
    logger: cfg.logLevel === false ? false : { type: "Console", options: { level: cfg.logLevel, formatter: "short" } },
    // Explicit timeouts: a request never hangs past this, whatever the failure.
    requestTimeout: 10_000,
    // Moleculer's defaults notice a dead node after 20-60 s; a killed node must be noticed in
    // about two seconds so its shows move within the lease period.
    heartbeatInterval: 0.5,
    heartbeatTimeout: 2,
    // Calls that fail because a node died are retried on another node. Every retried write is
    // idempotent (hold ids, attempt ids, idempotency keys), so a retry never acts twice. One
    // process has no other node to retry on or to trip a breaker for, so it skips both
    // middlewares and the bookkeeping they add to every call.
    retryPolicy: { enabled: clustered, retries: 4, delay: 100, maxDelay: 1_000, factor: 2, check: (error: Error) => Boolean((error as { retryable?: boolean }).retryable) },
    circuitBreaker: { enabled: clustered, threshold: 0.5, minRequestCount: 20, windowTime: 10, halfOpenTime: 2_000, check: (error: Error) => Boolean((error as { retryable?: boolean }).retryable) },
    validator: true,
  };
}

