// Assembles the platform from a config: one store, the services this node runs, one broker.
import { ServiceBroker } from "moleculer";
import { brokerOptions, DEV_ADMIN_PASSWORD, type MarqueeConfig, type ServiceName } from "./moleculer.config.ts";
import { MemoryStore } from "./infra/memory-store.ts";
import { RedisStore } from "./infra/redis-store.ts";
import type { Store } from "./infra/store.ts";
import type { ServiceFactory } from "./services/deps.ts";
import adminService from "./services/admin.service.ts";
import apiService, { listeningPort } from "./services/api.service.ts";
import authService from "./services/auth.service.ts";
import catalogService from "./services/catalog.service.ts";
import paymentService from "./services/payment.service.ts";
import pricingService from "./services/pricing.service.ts";
import onsaleService from "./services/onsale.service.ts";
import showActor from "./services/show.actor.ts";
import ticketsService from "./services/tickets.service.ts";
import reviewsService from "./services/reviews.service.ts";
import { registerMetrics } from "./services/metrics.ts";
import { showRouting } from "./services/show.routing.ts";
import { storeFaults } from "./services/store-faults.ts";
import { IDEMPOTENCY_RECORDS } from "./services/idempotency.ts";
import { WEBHOOK_EVENTS } from "./services/payment.service.ts";
import { startProcessor, type RunningProcessor } from "./processor/server.ts";
import { PROCESSOR_RETENTION } from "./processor/idempotency.ts";

const FACTORIES: Record<ServiceName, ServiceFactory> = {
  api: apiService,
  admin: adminService,
  show: showActor,
  catalog: catalogService,
  pricing: pricingService,
  payment: paymentService,
  auth: authService,
  tickets: ticketsService,
  reviews: reviewsService,
  onsale: onsaleService,
};

export interface Marquee {
  broker: ServiceBroker;
  config: MarqueeConfig;
  store: Store;
  /** The gateway's port, or 0 when this node runs no gateway. */
  port: number;
  /** The embedded card processor's address for browsers, when this node runs it. */
  processorUrl?: string;
  stop(): Promise<void>;
}

/** Redis when REDIS_URL is set (keys prefixed by the namespace), else the embedded memory store. */
export function storeFor(config: MarqueeConfig): Store {
  // The embedded processor keeps its Idempotency-Keys as Stripe does (24 h) in the same store.
  const retention = { ...PROCESSOR_RETENTION, [IDEMPOTENCY_RECORDS]: config.idempotencyRetentionMs, [WEBHOOK_EVENTS]: config.idempotencyRetentionMs };
  return config.redisUrl
    ? new RedisStore(config.redisUrl, `marquee:${config.namespace}`, { commandTimeoutMs: config.storeTimeoutMs, retention })
    : new MemoryStore(Date.now, { retention });
}

/** The local processor runs inside this process when payments are local and no other one is named. */
export const embedsProcessor = (config: MarqueeConfig): boolean =>
  config.payments.provider === "local" && !config.payments.apiBase && config.services.includes("payment");

export async function startMarquee(config: MarqueeConfig, store: Store = storeFor(config)): Promise<Marquee> {
  const broker = new ServiceBroker({ ...brokerOptions(config), middlewares: [storeFaults, showRouting({ config, store })] });
  registerMetrics(broker);
  let processor: RunningProcessor | undefined;
  let webhookUrl: string | undefined;
  try {
    if (embedsProcessor(config)) {
      const log = broker.getLogger("processor");
      processor = await startProcessor({
        store, port: config.payments.processorPort, host: config.host,
        // Links in its pages and its 3-D Secure redirects: for a browser, not for this process.
        publicUrl: config.payments.publicApiBase ?? browserUrl(config.host, config.payments.processorPort || undefined),
        secretKey: config.payments.secretKey, publishableKey: config.payments.publishableKey, webhookSecret: config.payments.webhookSecret,
        // This node's own gateway, known once it listens (until then events wait in the store);
        // a node with no gateway sends none unless told where (the reconciler settles without).
        ...(config.payments.webhookUrl || config.services.includes("api") ? { webhookUrl: () => config.payments.webhookUrl ?? webhookUrl } : {}),
        faults: config.processorFaults,
        logger: { info: (line: string) => log.debug(line), warn: (line: string) => log.warn(line) },
      });
      const local = `http://127.0.0.1:${processor.port}`;
      config = { ...config, payments: { ...config.payments, apiBase: local, publicApiBase: config.payments.publicApiBase ?? browserUrl(config.host, processor.port) } };
    }
    for (const name of config.services) broker.createService(FACTORIES[name]({ config, store }));
    await broker.start();
  } catch (error) {
    await broker.stop().catch(() => undefined);
    await processor?.stop().catch(() => undefined);
    await store.close();
    throw error;
  }
  const api = config.services.includes("api") ? broker.getLocalService("api") : undefined;
  const port = api ? listeningPort(api) : 0;
  if (port) webhookUrl = `http://127.0.0.1:${port}/api/payments/webhook`;
  return {
    broker, config, store, port,
    ...(processor ? { processorUrl: config.payments.publicApiBase } : {}),
    async stop() {
      await broker.stop();
      await processor?.stop();
      await store.close();
    },
  };
}

/** How a browser on this machine reaches a server listening on `host`. */
function browserUrl(host: string, port: number): string;
function browserUrl(host: string, port: number | undefined): string | undefined;
function browserUrl(host: string, port: number | undefined): string | undefined {
  if (port === undefined) return undefined;
  const name = ["0.0.0.0", "::", ""].includes(host) ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/** What `npm start` prints once the gateway listens: where the web app and the API are, and how an admin signs in. */
export function startBanner(config: MarqueeConfig, port: number, nodeID: string, processorUrl?: string): string[] {
  const base = browserUrl(config.host, port);
  const password = config.adminPassword === DEV_ADMIN_PASSWORD
    ? `password "${DEV_ADMIN_PASSWORD}" (the default: set ADMIN_PASSWORD to change it)`
    : "the password set in ADMIN_PASSWORD";
  return [
    `marquee: node ${nodeID} ready: web app ${base}/ , API ${base}/api`,
    `marquee: admin sign-in: ${config.adminEmail} with ${password}`,
    ...(processorUrl ? [`marquee: card processor (local, test cards only) ${processorUrl}/ ; set PAYMENTS=stripe to use Stripe`] : []),
    ...(config.operatorPort !== undefined && !config.transporter ? [`marquee: operators: \`npm run repl\` attaches to this process (127.0.0.1:${config.operatorPort})`] : []),
  ];
}
