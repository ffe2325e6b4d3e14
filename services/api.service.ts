// The HTTP gateway: routes, who is calling, and the one place errors become HTTP responses.
// Every endpoint that needs a caller checks it in the action it reaches (admin.*, auth.me), so
// an alias added here can never skip the check by accident.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Context, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { tokenVerifier } from "../infra/auth/tokens.ts";
import { LiveFeed, type SeatStatuses } from "../infra/live-feed.ts";
import type { SeatChange } from "../infra/seat-changes.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { NotFoundError, UnauthorizedError } from "./errors.ts";
import { loadShedding } from "./load-shedding.ts";
import { queueEvents } from "./queue-events.ts";
import type { QueueSnapshot } from "../domain/onsale/queue.ts";

interface GatewayRequest extends IncomingMessage { $ctx?: Context<unknown, CallMeta> }
interface HttpError extends Error { code?: unknown; status?: number; type?: string; data?: unknown; expose?: boolean }

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const gatewayHandler = (ApiGateway.methods as Record<string, (...args: unknown[]) => unknown>).httpHandler!;
const HEARTBEAT_MS = 15_000;
type Watch = (req: GatewayRequest & { $params: Record<string, unknown> }, res: ServerResponse) => Promise<void>;

/** Turns anything thrown into the public error shape; internals of a 5xx never leak. */
export function publicError(err: HttpError): { status: number; body: { name: string; message: string; code: number; type: string; data?: unknown } } {
  // body-parser errors carry an HTTP status and a type of their own.
  if (err.type === "entity.parse.failed") return { status: 400, body: { name: "BadRequestError", message: "The request body is not valid JSON", code: 400, type: "MALFORMED_JSON" } };
  if (err.type === "entity.too.large") return { status: 413, body: { name: "PayloadTooLargeError", message: "The request body is too large", code: 413, type: "TOO_LARGE" } };
  const status = typeof err.code === "number" && err.code >= 400 && err.code < 600 ? err.code : typeof err.status === "number" ? err.status : 500;
  if (status >= 500 && status !== 503) {
    return { status, body: { name: "InternalError", message: "Something went wrong on our side; try again in a moment", code: status, type: "INTERNAL" } };
  }
  // Moleculer's parameter validation says only "Parameters validation error!": name each field
  // and what is wrong with it, and leave out which node and action checked it.
  if (err.type === "VALIDATION_ERROR" && Array.isArray(err.data)) {
    const problems = (err.data as { field?: unknown; type?: unknown; message?: unknown }[]).map(({ field, type, message }) => ({ field, type, message }));
    const message = problems.map((p) => p.message).filter((m) => typeof m === "string").join(" ") || err.message;
    return { status, body: { name: err.name, message, code: status, type: err.type, data: problems } };
  }
  return { status, body: { name: err.name, message: err.message, code: status, type: err.type ?? "ERROR", ...(err.data !== undefined ? { data: err.data } : {}) } };
}

export default function apiService({ config }: ServiceDeps): ServiceSchema {
  const verifyToken = tokenVerifier(config.tokenSecret);
  const feed = new LiveFeed();
  const shedding = loadShedding(config);
  const queue = queueEvents(feed);
  return {
    name: "api",
    mixins: [ApiGateway],

    settings: {
      port: config.port,
      ip: config.host,
      // The web app (public/), served at / by the same gateway.
      assets: { folder: fileURLToPath(new URL("../public", import.meta.url)), options: { index: "index.html" } },
      log4XXResponses: false,
      logRequestParams: null,
      logResponseData: null,
      routes: [
        {
          path: "/api",
          authentication: true,
          // Only the aliases below exist; nothing else on the broker is reachable over HTTP.
          mappingPolicy: "restrict",
          autoAliases: false,
          bodyParsers: { json: { strict: true, limit: config.maxBodyBytes }, urlencoded: false },
          aliases: {
            "GET health": "api.health",
            "GET shows/:showId/events"(this: { watchShow: Watch }, req: GatewayRequest & { $params: Record<string, unknown> }, res: ServerResponse, next: (error?: unknown) => void) {
              this.watchShow(req, res).catch(next);
            },

            "POST auth/register": "auth.register",
            "POST auth/login": "auth.login",
            "GET me": "auth.me",

            "GET movies": "catalog.listMovies",
            "GET movies/:movieId": "catalog.getMovie",
            "GET cinemas": "catalog.listCinemas",
            "GET ratings": "catalog.ratings",
            "GET shows": "catalog.listShows",
            "GET shows/:showId": "admin.showDetails",
            "GET shows/:showId/quote": "pricing.quote",

            "POST shows/:showId/holds": "admin.hold",
            "GET holds/:holdId": "admin.getHold",
            "DELETE holds/:holdId": "admin.releaseHold",

            "POST bookings": "admin.createBooking",
            "GET me/bookings": "admin.myBookings",
            "GET bookings/:bookingId": "admin.getBooking",
            "POST bookings/:bookingId/pay": "admin.pay",
            "POST bookings/:bookingId/cancel": "admin.cancelBooking",

            "GET onsales/:onsaleId/queue/events"(req: GatewayRequest & { $params: Record<string, unknown> }, res: ServerResponse, next: (error?: unknown) => void) {
              queue.watch(req, res).catch(next);
            },
            "POST onsales/:onsaleId/queue": "onsale.join",
            "GET onsales/:onsaleId/queue": "onsale.position",
            "GET onsales/:onsaleId": "onsale.get",
            "POST admin/onsales": "onsale.create",
            "GET admin/onsales": "onsale.list",

            "POST admin/movies": "admin.createMovie",
            "POST admin/cinemas": "admin.createCinema",
            "POST admin/shows": "admin.createShow",

            "GET admin/shows/:showId/stats": "admin.showStats",
            "POST admin/shows/:showId/reprice": "admin.repriceShow",
            "POST admin/holds/:holdId/expire": "admin.expireHold",
            "GET admin/pricing/rules": "pricing.rules",
            "GET admin/pricing/audit": "pricing.auditLog",
            "PUT admin/pricing/cities": "pricing.setCities",
            "PUT admin/pricing/guard-rails": "pricing.setGuardRails",
            "PUT admin/pricing/base-prices": "pricing.setBasePrices",
            "POST admin/pricing/simulate": "pricing.simulate",
            "POST admin/pricing/retrain": "pricing.retrain",
            "PUT admin/pricing/:collection/:id": "pricing.upsert",
            "DELETE admin/pricing/:collection/:id": "pricing.remove",
          },
          onBeforeCall(ctx: Context<unknown, CallMeta>, _route: unknown, req: IncomingMessage) {
            ctx.meta.clientIp = req.socket.remoteAddress ?? "unknown";
            const key = req.headers["idempotency-key"];
            if (typeof key === "string" && IDEMPOTENCY_KEY.test(key)) ctx.meta.idempotencyKey = key;
          },
        },
      ],

      onError(this: { logger: { error: (...a: unknown[]) => void } }, req: GatewayRequest, res: ServerResponse, err: HttpError) {
        const { status, body } = publicError(err);
        if (status >= 500) this.logger.error(`${req.method} ${req.url} failed`, err);
        // A stream (server-sent events) already answered: all that is left is to close it.
        if (res.headersSent) {
          res.end();
          return;
        }
        const retryAfter = (body.data as { retryAfter?: unknown } | undefined)?.retryAfter;
        if (typeof retryAfter === "number") res.setHeader("Retry-After", String(Math.max(1, Math.ceil(retryAfter))));
        res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.writeHead(status);
        res.end(JSON.stringify(body));
      },
    } as ServiceSchema["settings"],

    methods: {
      // Every request meets load shedding (services/load-shedding.ts) before moleculer-web routes it.
      httpHandler(this: ServiceSchema, req: IncomingMessage, res: ServerResponse, next?: unknown) {
        if (shedding.admit(req, res)) return gatewayHandler.call(this, req, res, next);
      },

      /**
       * Server-Sent Events for one show: a snapshot (or, with Last-Event-ID, what the client
       * missed), then every seat change, coalesced; heartbeats keep proxies from closing idle
       * streams; a client that goes away stops costing anything.
       */
      async watchShow(req: GatewayRequest & { $params: Record<string, unknown> }, res: ServerResponse) {
        const showId = String(req.$params.showId ?? "");
        if (!/^[\w.:-]{1,100}$/.test(showId)) throw new NotFoundError("Show", showId.slice(0, 100));
        const rawLast = req.headers["last-event-id"] ?? req.$params.lastEventId;
        const lastVersion = typeof rawLast === "string" && /^\d{1,15}$/.test(rawLast) ? Number(rawLast) : undefined;
        let open = true;
        const send = (chunk: string) => { if (open) res.write(chunk); };
        const watcher = feed.watch(showId, send);
        const close = () => {
          open = false;
          watcher.close();
          clearInterval(heartbeat);
        };
        const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
        req.on("close", close);
        try {
          const resumed = lastVersion !== undefined && watcher.resume(lastVersion);
          const snapshot = resumed ? undefined : await req.$ctx!.call<{ version: number; seats: SeatStatuses }, object>("show.seats", { showId });
          res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" });
          res.write("retry: 2000\n\n");
          if (snapshot) watcher.start(snapshot.version, snapshot.seats);
        } catch (error) {
          close();
          throw error;
        }
      },

      async authenticate(ctx: Context<unknown, CallMeta>, _route: unknown, req: IncomingMessage) {
        const header = req.headers.authorization;
        if (!header) return null;
        const match = /^Bearer\s+(\S+)$/i.exec(header);
        if (!match) throw new UnauthorizedError("Use the header Authorization: Bearer <token>", "INVALID_TOKEN");
        try {
          ctx.meta.caller = await verifyToken(match[1]!);
        } catch {
          throw new UnauthorizedError("The token is invalid or expired: log in again", "INVALID_TOKEN");
        }
        return ctx.meta.caller;
      },
    },

    events: {
      // Broadcast by show actors on any node: each gateway node relays to its own watchers.
      "show.changed"(ctx: Context<{ changes: SeatChange[] }>) {
        for (const { showId, version, count, seats } of ctx.params.changes) feed.publish(showId, version, count, seats);
      },
      "onsale.queue"(ctx: Context<QueueSnapshot>) {
        queue.publish(ctx.params);
      },
      "pricing.show.changed"(ctx: Context<{ showId: string; multiplier: number }>) {
        feed.publishPrices(ctx.params.showId, ctx.params.multiplier);
      },
    },

    actions: {
      health: {
        handler(this: { broker: { nodeID: string }; server?: { address(): AddressInfo | string | null } }) {
          return { status: "ok", nodeID: this.broker.nodeID, uptimeSeconds: Math.round(process.uptime()), time: new Date().toISOString() };
        },
      },
    },
  };
}

/** The port the gateway actually listens on (useful with PORT=0). */
export function listeningPort(service: unknown): number {
  const address = (service as { server?: { address(): AddressInfo | string | null } }).server?.address();
  return typeof address === "object" && address ? address.port : 0;
}
