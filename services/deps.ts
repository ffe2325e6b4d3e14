// What every service factory receives: the configuration and the persistence port.
// Services are factories rather than static schemas so tests can start them with their own
// config and store, and so no service reads the environment itself.
import type { ServiceSchema } from "moleculer";
import type { MarqueeConfig } from "../moleculer.config.ts";
import type { Store } from "../infra/store.ts";
import type { TokenSubject } from "../infra/auth/tokens.ts";

export interface ServiceDeps {
  config: MarqueeConfig;
  store: Store;
}

export type ServiceFactory = (deps: ServiceDeps) => ServiceSchema;

/** Who is calling, as the gateway puts it in ctx.meta.caller after checking the bearer token. */
export type Caller = TokenSubject;

export interface CallMeta {
  caller?: Caller;
  clientIp?: string;
  idempotencyKey?: string;
  $statusCode?: number;
  $location?: string;
  $responseHeaders?: Record<string, string>;
  $responseType?: string;
}
