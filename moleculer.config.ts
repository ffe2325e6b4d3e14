// The one place that reads the environment. Everything else receives a MarqueeConfig.
import { createHmac } from "node:crypto";
import type { BrokerOptions } from "moleculer";
import { platformChannel } from "./infra/operator-channel.ts";
import { PrometheusReporter } from "./infra/prometheus.ts";
import { parseFaults } from "./processor/faults.ts";
import { QuietValidator } from "./infra/quiet-validator.ts";

export const ALL_SERVICES = ["api", "admin", "show", "catalog", "pricing", "payment", "auth", "tickets", "reviews", "onsale"] as const;
export type ServiceName = (typeof ALL_SERVICES)[number];

export interface MarqueeConfig {
  /** NODE_ENV=production: development defaults are refused instead of merely warned about. */
  production: boolean;
  /** Gateway port; 0 picks a free one (tests). */
  port: number;
  host: string;
  nodeID: string | undefined;
  namespace: string;
  /** Moleculer transporter URL; undefined = embedded single-process broker. */
  transporter: string | undefined;
  /** Redis URL; undefined = in-memory stores. */
  redisUrl: string | undefined;
  /** A store command unanswered this long fails the request with 503 STORE_UNAVAILABLE. */
  storeTimeoutMs: number;
  /** How long a request's Idempotency-Key is remembered (Stripe keeps keys 24 h). */
  idempotencyRetentionMs: number;
  services: ServiceName[];
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | false;
  /** "short": one human line per entry; "json": pino's one JSON object per line, for collectors. */
  logFormat: "short" | "json";
  holdTtlMs: number;
  maxSeatsPerHold: number;
  /** How much a hold may be stretched, once, while its payment is being charged. */
  paymentGraceMs: number;
  /** Bookings can be cancelled until this long before the show starts. */
  cancelCutoffMs: number;
  /** A payment attempt with no recorded outcome this long is looked up at the processor by the reconciler. */
  settleAfterMs: number;
  /** How often each node's reconciler looks for unsettled money on the shows it serves. */
  reconcileEveryMs: number;
  payments: PaymentsConfig;
  /** The embedded processor's fault switches (README "Payment faults"), e.g. "latency=200,webhook_drop=0.5". */
  processorFaults: string;
  /** Where customers reach this platform's web app (the processor sends them back there). */
  publicUrl: string;
  /**
   * Fault injection for tests only: "after_charge" makes this node's booking workflow die
   * (SIGKILL) right after the processor took a charge and before the show recorded it.
   */
  fault: "after_charge" | undefined;
  adminEmail: string;
  adminPassword: string;
  tokenSecret: string;
  /** HMAC key that signs tickets' QR payloads, so a door can check them offline. */
  ticketSecret: string;
  tokenTtlSeconds: number;
  /** scrypt cost N (a power of two); r and p stay at OWASP's 8 and 5. */
  scryptN: number;
  /** Failed logins allowed per (account, client address), then per client address, per window. */
  loginMaxPerAccount: number;
  loginMaxPerAddress: number;
  loginWindowMs: number;
  /** Sign-ups allowed per client address per window (each costs a password hash). */
  signupMaxPerAddress: number;
  signupWindowMs: number;
  /** Believe X-Forwarded-For / X-Forwarded-Proto: only behind a proxy that sets them. */
  trustProxy: boolean;
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
  /** Moleculer's metrics and ours; a gateway serves them at GET /metrics. */
  metrics: boolean;
  /** A port of its own for /metrics (Moleculer's Prometheus server), for nodes without a gateway. */
  metricsPort: number | undefined;
  /** Bearer token GET /metrics on the gateway asks for; unset: only loopback clients may read it. */
  metricsToken: string | undefined;
  /**
   * The loopback port `npm run repl` listens on to attach to a single-process platform, which
   * dials it; undefined: no operator channel (a cluster, NODE_ENV=production, or OPERATOR_PORT=off).
   */
  operatorPort: number | undefined;
  /** Where finished spans go; undefined: tracing is off. */
  tracing: { exporter: "zipkin"; url: string } | { exporter: "console" } | undefined;
  /** Load shedding: most writes (holds, bookings, payments...) and reads in flight per gateway node; 0 = no bound. */
  shedMaxWrites: number;
  shedMaxReads: number;
  /**
   * How long (ms) a write may have waited in front of a saturated event loop before it is refused
   * (reads: four times as long), and the event-loop delay past which the bounds above shrink
   * towards what the node can serve; 0 = fixed bounds only.
   */
  shedTargetDelayMs: number;
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

function logFormat(raw: string | undefined): MarqueeConfig["logFormat"] {
  const format = (raw || "short").toLowerCase();
  if (format !== "short" && format !== "json") throw new Error(`LOG_FORMAT must be "short" or "json", got "${raw}"`);
  return format;
}

function tracing(env: Env): MarqueeConfig["tracing"] {
  const exporter = (env.TRACING_EXPORTER ?? "").toLowerCase();
  if (!exporter || exporter === "off") return undefined;
  if (exporter === "console") return { exporter };
  // Jaeger and the OpenTelemetry collector both take Zipkin's v2 JSON (port 9411).
  if (exporter === "zipkin") return { exporter, url: env.TRACING_URL || "http://127.0.0.1:9411" };
  throw new Error(`TRACING_EXPORTER must be zipkin, console or off, got "${env.TRACING_EXPORTER}"; for Jaeger or an OpenTelemetry collector use zipkin with TRACING_URL at their Zipkin port (9411)`);
}

function operatorPort(env: Env): number | undefined {
  const raw = (env.OPERATOR_PORT ?? "").toLowerCase();
  if (raw === "off") return undefined;
  if (raw) return int(env, "OPERATOR_PORT", 4446, 1);
  // A cluster's operators join it with TRANSPORTER; production opens nothing it was not asked to.
  return env.TRANSPORTER || env.NODE_ENV === "production" ? undefined : 4446;
}

// Published in this repository, so anyone can sign an admin token or log in with them.
const DEV_TOKEN_SECRET = "marquee-dev-secret-change-me-in-production";
export const DEV_ADMIN_PASSWORD = "marquee-admin";
const MIN_SECRET_BYTES = 32;

/** What a deployment still takes from the development defaults, each saying what to set instead. */
export function insecureDefaults(config: Pick<MarqueeConfig, "tokenSecret" | "adminPassword"> & { payments?: Pick<PaymentsConfig, "webhookSecret"> }): string[] {
  const problems: string[] = [];
  if (config.payments?.webhookSecret === DEV_STRIPE_KEYS.webhookSecret) problems.push("STRIPE_WEBHOOK_SECRET is the public development secret: set it to your webhook endpoint's signing secret (whsec_...)");
  if (config.tokenSecret === DEV_TOKEN_SECRET) problems.push("TOKEN_SECRET is the public development secret: set TOKEN_SECRET to a random secret of at least 32 bytes (openssl rand -hex 32)");
  if (config.adminPassword === DEV_ADMIN_PASSWORD) problems.push("ADMIN_PASSWORD is the public default: set ADMIN_PASSWORD to a password of your own");
  return problems;
}

/**
 * The card processor. "local" (the default) is the Stripe-compatible processor in processor/,
 * started inside this process unless STRIPE_API_BASE names one running elsewhere; "stripe" is
 * Stripe itself. Either way Marquee talks to it through Stripe's own SDK.
 */
export interface PaymentsConfig {
  provider: "local" | "stripe";
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  /** The processor's API; undefined: Stripe's own (provider "stripe") or the embedded one (set once it listens). */
  apiBase: string | undefined;
  /** How browsers reach the processor's pages when that is not apiBase (a proxy, a container). */
  publicApiBase: string | undefined;
  /** The embedded processor's port (0: any free one). */
  processorPort: number;
  /** Where the embedded processor posts its events; this node's own gateway when unset. */
  webhookUrl: string | undefined;
  timeoutMs: number;
  maxNetworkRetries: number;
}

// Published in this repository, like the other development secrets: refused in production.
export const DEV_STRIPE_KEYS = { secretKey: "sk_test_marquee_local_processor", publishableKey: "pk_test_marquee_local_processor", webhookSecret: "whsec_marquee_local_processor_dev" } as const;

function paymentsConfig(env: Env): PaymentsConfig {
  const provider = (env.PAYMENTS ?? "local").toLowerCase();
  if (provider !== "local" && provider !== "stripe") throw new Error(`PAYMENTS must be local or stripe, got "${env.PAYMENTS}"`);
  if (provider === "stripe") {
    const missing = ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"].filter((name) => !env[name]);
    if (missing.length) throw new Error(`PAYMENTS=stripe needs ${missing.join(", ")} (from the Stripe dashboard: Developers > API keys, and the webhook endpoint's signing secret)`);
  }
  const keys = {
    secretKey: env.STRIPE_SECRET_KEY || DEV_STRIPE_KEYS.secretKey,
    publishableKey: env.STRIPE_PUBLISHABLE_KEY || DEV_STRIPE_KEYS.publishableKey,
    webhookSecret: env.STRIPE_WEBHOOK_SECRET || DEV_STRIPE_KEYS.webhookSecret,
  };
  // The local processor is test mode only: a live key there is a mistake worth stopping for.
  const prefixes = { secretKey: provider === "local" ? "sk_test_" : "sk_", publishableKey: provider === "local" ? "pk_test_" : "pk_", webhookSecret: "whsec_" };
  const names = { secretKey: "STRIPE_SECRET_KEY", publishableKey: "STRIPE_PUBLISHABLE_KEY", webhookSecret: "STRIPE_WEBHOOK_SECRET" };
  for (const field of ["secretKey", "publishableKey", "webhookSecret"] as const) {
    if (!keys[field].startsWith(prefixes[field])) throw new Error(`${names[field]} must start with ${prefixes[field]}${provider === "local" ? " (the local processor takes test keys only)" : ""}`);
  }
  return {
    provider,
    ...keys,
    apiBase: env.STRIPE_API_BASE || undefined,
    publicApiBase: env.PROCESSOR_PUBLIC_URL || undefined,
    processorPort: int(env, "PROCESSOR_PORT", 3001, 0),
    webhookUrl: env.PROCESSOR_WEBHOOK_URL || undefined,
    timeoutMs: int(env, "PAYMENT_TIMEOUT_MS", 10_000, 100),
    maxNetworkRetries: int(env, "PAYMENT_NETWORK_RETRIES", 1, 0),
  };
}

/** The fault switches, checked at start so a typo stops the node instead of passing unnoticed. */
function processorFaults(text: string): string {
  const plan = parseFaults(text);
  if ("error" in plan) throw new Error(`PROCESSOR_FAULTS: ${plan.error}`);
  return text;
}

export function readConfig(env: Env = process.env): MarqueeConfig {
  const logLevel = (env.LOG_LEVEL ?? "info").toLowerCase();
  const production = env.NODE_ENV === "production";
  const tokenSecret = env.TOKEN_SECRET || DEV_TOKEN_SECRET;
  const adminPassword = env.ADMIN_PASSWORD || DEV_ADMIN_PASSWORD;
  // Bytes, not characters: the HMAC key is the UTF-8 encoding.
  if (Buffer.byteLength(tokenSecret, "utf8") < MIN_SECRET_BYTES) throw new Error(`TOKEN_SECRET must be at least ${MIN_SECRET_BYTES} bytes; generate one with: openssl rand -hex 32`);
  const payments = paymentsConfig(env);
  const problems = production ? insecureDefaults({ tokenSecret, adminPassword, payments }) : [];
  if (problems.length) throw new Error(`NODE_ENV=production refuses development defaults:\n  - ${problems.join("\n  - ")}`);
  // Derived from the token secret unless set, but never the same key: a ticket is not a login.
  const ticketSecret = env.TICKET_SECRET || createHmac("sha256", tokenSecret).update("marquee ticket signing key").digest("hex");
  if (Buffer.byteLength(ticketSecret, "utf8") < MIN_SECRET_BYTES) throw new Error(`TICKET_SECRET must be at least ${MIN_SECRET_BYTES} bytes; generate one with: openssl rand -hex 32`);
  return {
    production,
    port: int(env, "PORT", 3000),
    host: env.HOST ?? "0.0.0.0",
    nodeID: env.NODE_ID || undefined,
    namespace: env.NAMESPACE ?? "marquee",
    transporter: env.TRANSPORTER || undefined,
    redisUrl: env.REDIS_URL || undefined,
    storeTimeoutMs: int(env, "STORE_TIMEOUT_MS", 1_500, 50),
    // At least a minute, the time after which a request that died mid-flight frees its key.
    idempotencyRetentionMs: int(env, "IDEMPOTENCY_RETENTION_MS", 24 * 3_600_000, 60_000),
    services: services(env.SERVICES),
    logLevel: logLevel === "off" || logLevel === "false" ? false : (LOG_LEVELS as readonly string[]).includes(logLevel) ? (logLevel as MarqueeConfig["logLevel"]) : "info",
    logFormat: logFormat(env.LOG_FORMAT),
    holdTtlMs: int(env, "HOLD_TTL_MS", 8 * 60_000, 1),
    maxSeatsPerHold: int(env, "MAX_SEATS_PER_HOLD", 10, 1),
    paymentGraceMs: int(env, "PAYMENT_GRACE_MS", 60_000, 0),
    cancelCutoffMs: int(env, "CANCEL_CUTOFF_MS", 2 * 3_600_000, 0),
    settleAfterMs: int(env, "PAYMENT_SETTLE_AFTER_MS", 10_000, 100),
    reconcileEveryMs: int(env, "RECONCILE_EVERY_MS", 2_000, 50),
    payments,
    processorFaults: processorFaults(env.PROCESSOR_FAULTS ?? ""),
    publicUrl: env.PUBLIC_URL || `http://localhost:${int(env, "PORT", 3000)}`,
    fault: env.MARQUEE_FAULT === "after_charge" ? "after_charge" : undefined,
    adminEmail: (env.ADMIN_EMAIL ?? "admin@marquee.local").toLowerCase(),
    adminPassword,
    tokenSecret,
    ticketSecret,
    tokenTtlSeconds: int(env, "TOKEN_TTL_SECONDS", 12 * 3600, 1),
    scryptN: int(env, "SCRYPT_N", 16_384, 2),
    loginMaxPerAccount: int(env, "LOGIN_MAX_PER_ACCOUNT", 5, 1),
    loginMaxPerAddress: int(env, "LOGIN_MAX_PER_ADDRESS", 50, 1),
    loginWindowMs: int(env, "LOGIN_WINDOW_MS", 15 * 60_000, 1),
    signupMaxPerAddress: int(env, "SIGNUP_MAX_PER_ADDRESS", 10, 1),
    signupWindowMs: int(env, "SIGNUP_WINDOW_MS", 3_600_000, 1),
    trustProxy: bool(env, "TRUST_PROXY", false),
    seedDemo: bool(env, "SEED_DEMO", true),
    maxBodyBytes: env.MAX_BODY ?? "64kb",
    showShards: int(env, "SHOW_SHARDS", 64, 1),
    leaseTtlMs: int(env, "LEASE_TTL_MS", 2_000, 300),
    maxActiveShows: int(env, "MAX_ACTIVE_SHOWS", 10_000, 1),
    showIdleMs: int(env, "SHOW_IDLE_MS", 15 * 60_000, 1_000),
    metrics: bool(env, "METRICS", true),
    metricsPort: env.METRICS_PORT ? int(env, "METRICS_PORT", 0) : undefined,
    metricsToken: env.METRICS_TOKEN || undefined,
    tracing: tracing(env),
    operatorPort: operatorPort(env),
    shedMaxWrites: int(env, "SHED_MAX_WRITES", 256, 0),
    shedMaxReads: int(env, "SHED_MAX_READS", 1024, 0),
    shedTargetDelayMs: int(env, "SHED_TARGET_DELAY_MS", 5, 0),
  };
}

export function brokerOptions(cfg: MarqueeConfig): BrokerOptions {
  const clustered = cfg.transporter !== undefined;
  return {
    namespace: cfg.namespace,
    nodeID: cfg.nodeID,
    // A URL string ("nats://host:4222") is what Moleculer resolves; its typings only list names.
    transporter: (cfg.transporter ?? (cfg.operatorPort !== undefined ? platformChannel(cfg.operatorPort) : null)) as BrokerOptions["transporter"],
    logger: loggerOptions(cfg),
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
    // fastest-validator, minus the refused values in its errors (they are logged).
    validator: new QuietValidator(),
    // Typed as reporter names or option objects only; Moleculer also takes an instance.
    metrics: { enabled: cfg.metrics, collectProcessMetrics: cfg.metrics, reporter: cfg.metrics ? [new PrometheusReporter(cfg.metricsPort) as never] : [] },
    tracing: tracingOptions(cfg),
  };
}


function loggerOptions(cfg: MarqueeConfig): BrokerOptions["logger"] {
  if (cfg.logLevel === false) return false;
  if (cfg.logFormat === "short") return { type: "Console", options: { level: cfg.logLevel, formatter: "short" } };
  // pino writes numeric levels by default; collectors filter on names.
  return { type: "Pino", options: { level: cfg.logLevel, pino: { options: { formatters: { level: (label: string) => ({ level: label }) } } } } };
}

function tracingOptions(cfg: MarqueeConfig): BrokerOptions["tracing"] {
  if (!cfg.tracing) return { enabled: false };
  const exporter = cfg.tracing.exporter === "zipkin"
    ? { type: "Zipkin" as const, options: { baseURL: cfg.tracing.url, interval: 2 } }
    : { type: "Console" as const, options: { width: 100 } };
  // Span ids are the request ids the access log prints, so a log line leads to its trace.
  return { enabled: true, exporter, events: true };
}
