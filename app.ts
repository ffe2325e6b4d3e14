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
  stop(): Promise<void>;
}

/** Redis when REDIS_URL is set (keys prefixed by the namespace), else the embedded memory store. */
export function storeFor(config: MarqueeConfig): Store {
  const retention = { [IDEMPOTENCY_RECORDS]: config.idempotencyRetentionMs };
  return config.redisUrl
    ? new RedisStore(config.redisUrl, `marquee:${config.namespace}`, { commandTimeoutMs: config.storeTimeoutMs, retention })
    : new MemoryStore(Date.now, { retention });
}

export async function startMarquee(config: MarqueeConfig, store: Store = storeFor(config)): Promise<Marquee> {
  const broker = new ServiceBroker({ ...brokerOptions(config), middlewares: [storeFaults, showRouting({ config, store })] });
  registerMetrics(broker);
  for (const name of config.services) broker.createService(FACTORIES[name]({ config, store }));
  try {
    await broker.start();
  } catch (error) {
    await broker.stop().catch(() => undefined);
    await store.close();
    throw error;
  }
  const api = config.services.includes("api") ? broker.getLocalService("api") : undefined;
  return {
    broker, config, store,
    port: api ? listeningPort(api) : 0,
    async stop() {
      await broker.stop();
      await store.close();
    },
  };
}

/** What `npm start` prints once the gateway listens: where the web app and the API are, and how an admin signs in. */
export function startBanner(config: MarqueeConfig, port: number, nodeID: string): string[] {
  const host = ["0.0.0.0", "::", ""].includes(config.host) ? "localhost" : config.host.includes(":") ? `[${config.host}]` : config.host;
  const base = `http://${host}:${port}`;
  const password = config.adminPassword === DEV_ADMIN_PASSWORD
    ? `password "${DEV_ADMIN_PASSWORD}" (the default: set ADMIN_PASSWORD to change it)`
    : "the password set in ADMIN_PASSWORD";
  return [
    `marquee: node ${nodeID} ready: web app ${base}/ , API ${base}/api`,
    `marquee: admin sign-in: ${config.adminEmail} with ${password}`,
    ...(config.operatorPort !== undefined && !config.transporter ? [`marquee: operators: \`npm run repl\` attaches to this process (127.0.0.1:${config.operatorPort})`] : []),
  ];
}
