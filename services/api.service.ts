// The HTTP gateway: routes, who is calling, and the one place errors become HTTP responses.
// The gateway checks who may call each alias before anything else looks at the request (see
// accessOf), and every endpoint that needs a caller checks again in the action it reaches
// (admin.*, auth.me), so an alias added here can never skip the check by accident.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { logRequests } from "../infra/access-log.ts";
import { tokenVerifier } from "../infra/auth/tokens.ts";
import { docsFile } from "../infra/api-docs.ts";
import { openApiDocument, type Route } from "../infra/openapi.ts";
import { prometheusText } from "../infra/prometheus.ts";
import { errorSchema, successes } from "./api.responses.ts";
import { LiveFeed, type SeatStatuses } from "../infra/live-feed.ts";
import { followLink, type TransporterLink } from "../infra/transporter-link.ts";
import type { SeatChange } from "../infra/seat-changes.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { setSecurityHeaders } from "./security-headers.ts";
import { BadRequestError, ForbiddenError, MarqueeError, NotFoundError, PayloadTooLargeError, ServiceUnavailableError, UnauthorizedError, UnsupportedMediaTypeError } from "./errors.ts";
import { gauge } from "./metrics.ts";
import { deepenBacklog, loadShedding } from "./load-shedding.ts";
import { queueEvents } from "./queue-events.ts";
import type { QueueSnapshot } from "../domain/onsale/queue.ts";

interface GatewayRequest extends IncomingMessage { $ctx?: Context<unknown, CallMeta> }
interface HttpError extends Error { code?: unknown; status?: number; type?: string; data?: unknown; expose?: boolean }

const require = createRequire(import.meta.url);
let jsqr: Buffer | undefined;
const jsqrSource = (): Buffer => (jsqr ??= readFileSync(require.resolve("jsqr/dist/jsQR.js")));

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

// Who may call an alias, checked by the gateway before the action validates a single field, so
// a stranger learns nothing of an admin route's schema and an anonymous write is a 401, not a
// 422: authenticate, then authorize, then validate. Everything under admin/ needs the admin
// role; these actions need a signed-in caller; the rest is public. The actions check again.
const SIGNED_IN_ACTIONS = new Set([
  "auth.me", "admin.hold", "admin.getHold", "admin.releaseHold",
  "admin.createBooking", "admin.myBookings", "admin.getBooking", "admin.pay", "admin.cancelBooking",
  "tickets.ticket", "tickets.admit", "reviews.create", "reviews.reviewable", "onsale.join", "onsale.position",
]);
type Access = "public" | "signed-in" | "admin";
const accessOf = (alias: { path?: string; action?: string }): Access =>
  alias.path?.startsWith("admin/") ? "admin" : alias.action !== undefined && SIGNED_IN_ACTIONS.has(alias.action) ? "signed-in" : "public";

const HEARTBEAT_MS = 15_000;
type Watch = (req: GatewayRequest & { $params: Record<string, unknown> }, res: ServerResponse) => Promise<void>;
type Serve = (req: GatewayRequest, res: ServerResponse, file?: string) => Promise<void>;
/** Gateway actions that pass their params on unchecked: the document shows the params of the action that checks them. */
const FORWARDED: Record<string, string> = { "admin.createMovie": "catalog.createMovie", "admin.createCinema": "catalog.createCinema", "admin.createShow": "catalog.createShow" };
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/**
 * Who is on the other end: the socket's peer, or behind a trusted proxy the address that proxy
 * saw (the last X-Forwarded-For entry: earlier ones are whatever the client chose to send).
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(",") : forwarded)?.split(",").map((a) => a.trim()).filter(Boolean).pop();
  return last ?? req.socket.remoteAddress ?? "unknown";
}

/**
 * JSON request bodies. body-parser's own errors lose their status on the way through
 * moleculer-web (a gzip header over garbage became a 500 "Z_DATA_ERROR"), so every way a
 * body can be unreadable is named here as the client's mistake.
 */
function jsonBodies(limit: string) {
  const parse = ApiGateway.bodyParser.json({ strict: true, limit });
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) =>
    parse(req, res, (error?: unknown) => next(error === undefined ? undefined : unreadableBody(error as HttpError)));
}

function unreadableBody(error: HttpError): MarqueeError {
  if (error.type === "entity.parse.failed") return new BadRequestError("The request body is not valid JSON", "MALFORMED_JSON");
  if (error.type === "entity.too.large") return new PayloadTooLargeError("The request body is too large");
  if (error.status === 415) return new UnsupportedMediaTypeError(`${error.message}: send JSON in UTF-8, uncompressed or with Content-Encoding gzip, deflate or br`);
  return new BadRequestError("The request body could not be read: check that it matches its Content-Encoding and Content-Length", "UNREADABLE_BODY");
}

// Keys that reach an object's prototype when merged or assigned: refused wherever they appear.
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** The first key anywhere in a parsed body or query that could reach a prototype. */
function prototypeKey(value: unknown): string | undefined {
  const pending = [value];
  while (pending.length) {
    const next = pending.pop();
    if (next === null || typeof next !== "object") continue;
    for (const key of Object.keys(next)) {
      if (PROTOTYPE_KEYS.has(key)) return key;
      pending.push((next as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

/** Every GET alias also answers HEAD, as HTTP asks: the same status and headers, no body. */
function withHead<T>(aliases: Record<string, T>): Record<string, T> {
  const heads = Object.entries(aliases).filter(([route]) => route.startsWith("GET ")).map(([route, target]) => [`HEAD ${route.slice(4)}`, target] as const);
  return { ...aliases, ...Object.fromEntries(heads) };
}

/** Turns anything thrown into the public error shape; internals of a 5xx never leak. */
export function publicError(err: HttpError): { status: number; body: { name: string; message: string; code: number; type: string; data?: unknown } } {
  // Moleculer's word for "no node runs that service right now" (a node died, the transporter
  // is down): temporary, so a 503 to retry, not a 404 that says the resource does not exist.
  if (err.type === "SERVICE_NOT_AVAILABLE" || err.type === "SERVICE_NOT_FOUND") {
    return { status: 503, body: { name: "ServiceUnavailableError", message: "Part of the platform is unreachable right now; retry in a moment", code: 503, type: "SERVICE_UNAVAILABLE", data: { retryAfter: 2 } } };
  }
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
  const type = err.type ?? (status === 503 ? "SERVICE_UNAVAILABLE" : "ERROR");
  return { status, body: { name: err.name, message: err.message, code: status, type, ...(err.data !== undefined ? { data: err.data } : {}) } };
}

export default function apiService({ config, store }: ServiceDeps): ServiceSchema {
  const verifyToken = tokenVerifier(config.tokenSecret);
  const feed = new LiveFeed();
  // Until started() follows the real transporter client.
  let link: TransporterLink = { up: () => true, stop: () => undefined };
  let watching = 0;
  const metricsToken = config.metricsToken === undefined ? undefined : createHash("sha256").update(config.metricsToken).digest();
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
      // An HTTP request is answered once. Retried whole, moleculer-web would find the URL it
      // already rewrote and answer 404; calls to services keep their own retries.
      rootCallOptions: { retries: 0 },
      // One line per request comes from logRequests (started below); the route table and
      // moleculer-web's own request lines are for debugging.
      logRequest: "debug",
      logResponse: null,
      logRouteRegistration: "debug",
      logRequestParams: null,
      logResponseData: null,
      routes: [
        {
          // The door page's QR decoder, the jsqr package as npm installed it: no CDN.
          path: "/vendor",
          mappingPolicy: "restrict",
          autoAliases: false,
          aliases: {
            "GET jsqr.js"(_req: IncomingMessage, res: ServerResponse) {
              res.writeHead(200, { "Content-Type": "text/javascript; charset=utf-8", "X-Content-Type-Options": "nosniff", "Cache-Control": "public, max-age=86400" });
              res.end(jsqrSource());
            },
          },
        },
        {
          // Prometheus scrapes this node's metrics (a main node without a gateway: METRICS_PORT).
          path: "/metrics",
          authentication: false,
          mappingPolicy: "restrict",
          autoAliases: false,
          aliases: {
            "GET /"(this: { serveMetrics: (req: GatewayRequest, res: ServerResponse) => void }, req: GatewayRequest, res: ServerResponse, next: (error?: unknown) => void) {
              try {
                this.serveMetrics(req, res);
              } catch (error) {
                next(error);
              }
            },
          },
        },
        {
          // Posters arrive base64 in JSON: up to 300 KB of image needs a larger body than the
          // rest of the API allows, so this one alias has its own route and limit.
          path: "/api/admin/posters",
          authentication: true,
          mappingPolicy: "restrict",
          autoAliases: false,
          bodyParsers: { json: { strict: true, limit: "420kb" }, urlencoded: false },
          aliases: { "PUT :movieId": "catalog.setPoster" },
        },
        {
          // The processor's signed events. The signature covers the exact bytes sent, so the body
          // reaches payment.webhook as text, unparsed; the signature, not a token, says who sent it.
          path: "/api/payments/webhook",
          mappingPolicy: "restrict",
          autoAliases: false,
          mergeParams: false,
          bodyParsers: { json: false, urlencoded: false, text: { type: () => true, limit: "1mb" } },
          aliases: { "POST /": "payment.webhook" },
          onBeforeCall(_ctx: Context, _route: unknown, req: IncomingMessage & { $params: { body?: unknown } }) {
            // moleculer-web calls the action with req.$params: the raw text and the signature only.
            const body = req.$params.body;
            req.$params = { payload: typeof body === "string" ? body : "", signature: String(req.headers["stripe-signature"] ?? "") } as never;
          },
        },
        {
          path: "/api",
          authentication: true,
          authorization: true,
          // Only the aliases below exist; nothing else on the broker is reachable over HTTP.
          mappingPolicy: "restrict",
          autoAliases: false,
          bodyParsers: { json: false, urlencoded: false },
          use: [jsonBodies(config.maxBodyBytes)],
          aliases: withHead({
            "GET health": "api.health",
            "GET ready": "api.ready",
            "GET openapi.json": "api.openapi",
            "GET docs"(this: { serveDocs: Serve }, req: GatewayRequest, res: ServerResponse, next: (error?: unknown) => void) {
              this.serveDocs(req, res).catch(next);
            },
            "GET docs/:file"(this: { serveDocs: Serve }, req: GatewayRequest & { $params: Record<string, unknown> }, res: ServerResponse, next: (error?: unknown) => void) {
              this.serveDocs(req, res, String(req.$params.file)).catch(next);
            },
            "GET shows/:showId/events"(this: { watchShow: Watch }, req: GatewayRequest & { $params: Record<string, unknown> }, res: ServerResponse, next: (error?: unknown) => void) {
              this.watchShow(req, res).catch(next);
            },

            "POST auth/register": "auth.register",
            "POST auth/login": "auth.login",
            "GET me": "auth.me",

            "GET movies": "catalog.listMovies",
            "GET movies/:movieId": "catalog.getMovie",
            "GET movies/:movieId/poster": "catalog.poster",
            "GET cinemas": "catalog.listCinemas",
            "GET ratings": "catalog.ratings",
            "GET shows": "catalog.listShows",
            "GET showtimes": "admin.showtimes",
            "GET shows/:showId": "admin.showDetails",
            "GET shows/:showId/quote": "admin.quote",

            "POST shows/:showId/holds": "admin.hold",
            "GET holds/:holdId": "admin.getHold",
            "DELETE holds/:holdId": "admin.releaseHold",

            "POST bookings": "admin.createBooking",
            "GET me/bookings": "admin.myBookings",
            "GET bookings/:bookingId": "admin.getBooking",
            "GET bookings/:bookingId/ticket": "tickets.ticket",
            "POST shows/:showId/admissions": "tickets.admit",
            "PUT admin/users/role": "auth.setRole",
            "POST bookings/:bookingId/review": "reviews.create",
            "GET movies/:movieId/reviews": "reviews.forMovie",
            "GET reviews/summary": "reviews.summaries",
            "GET me/reviewable": "reviews.reviewable",
            "GET admin/reviews": "reviews.all",
            "GET admin/reviews/audit": "reviews.auditLog",
            "POST admin/reviews/:reviewId/hide": "reviews.hide",
            "POST admin/reviews/:reviewId/unhide": "reviews.unhide",
            "POST bookings/:bookingId/pay": "admin.pay",
            "GET payments/checkout": "payment.checkout",
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
            "POST admin/bookings/:bookingId/refund": "admin.refundBooking",
            "GET admin/payments": "admin.payments",
            "GET admin/pricing/rules": "pricing.rules",
            "GET admin/pricing/audit": "pricing.auditLog",
            "PUT admin/pricing/cities": "pricing.setCities",
            "PUT admin/pricing/guard-rails": "pricing.setGuardRails",
            "PUT admin/pricing/fees": "pricing.setFees",
            "PUT admin/pricing/base-prices": "pricing.setBasePrices",
            "POST admin/pricing/simulate": "pricing.simulate",
            "POST admin/pricing/retrain": "pricing.retrain",
            "PUT admin/pricing/:collection/:id": "pricing.upsert",
            "DELETE admin/pricing/:collection/:id": "pricing.remove",
          }),
          onBeforeCall(ctx: Context<unknown, CallMeta>, _route: unknown, req: IncomingMessage, _res: ServerResponse, alias: { action?: string }) {
            // Cut off from the cluster, this node can only answer for itself: fail at once rather
            // than let calls wait out the request timeout in the transporter's buffer.
            if (config.transporter && !link.up() && alias.action !== "api.health" && alias.action !== "api.ready") {
              throw new ServiceUnavailableError("This node has lost its link to the rest of the platform; retry in a moment", 2, "TRANSPORTER_UNAVAILABLE");
            }
            ctx.meta.clientIp = clientAddress(req, config.trustProxy);
          },
        },
      ],

      onError(this: { logger: { error: (...a: unknown[]) => void; warn: (...a: unknown[]) => void } }, req: GatewayRequest, res: ServerResponse, err: HttpError) {
        const { status, body } = publicError(err);
        // An outage answers every request with a 503: one line each, not a stack trace each.
        if (status === 503) this.logger.warn(`${req.method} ${req.url}: ${body.type}`);
        else if (status >= 500) this.logger.error(`${req.method} ${req.url} failed`, err);
        // A stream (server-sent events) already answered: all that is left is to close it.
        if (res.headersSent) {
          res.end();
          return;
        }
        const retryAfter = (body.data as { retryAfter?: unknown } | undefined)?.retryAfter;
        if (typeof retryAfter === "number") res.setHeader("Retry-After", String(Math.max(1, Math.ceil(retryAfter))));
        // Every 503 is temporary by definition: say when to come back even if the error did not.
        else if (status === 503) res.setHeader("Retry-After", "1");
        res.setHeader("Content-Type", "application/json; charset=utf-8");
        res.writeHead(status);
        res.end(JSON.stringify(body));
      },
    } as ServiceSchema["settings"],

    methods: {
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
        gauge(this.broker, "marquee.sse.watchers", ++watching);
        const close = () => {
          if (!open) return;
          open = false;
          gauge(this.broker, "marquee.sse.watchers", --watching);
          watcher.close();
          clearInterval(heartbeat);
        };
        const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
        req.on("close", close);
        try {
          const resumed = lastVersion !== undefined && watcher.resume(lastVersion);
          const snapshot = resumed ? undefined : await req.$ctx!.call<{ version: number; seats: SeatStatuses }, object>("show.seats", { showId });
          res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" });
          // HEAD learns the show can be watched, and no stream is kept open for it.
          if (req.method === "HEAD") {
            close();
            res.end();
            return;
          }
          res.write("retry: 2000\n\n");
          if (snapshot) watcher.start(snapshot.version, snapshot.seats);
        } catch (error) {
          close();
          throw error;
        }
      },

      // moleculer-web logs every error outside 4xx with its stack before onError sees it; onError
      // decides what is worth logging, once.
      errorHandler(this: { sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void }, req: IncomingMessage, res: ServerResponse, err: unknown) {
        this.sendError(req, res, err);
      },

      authorize(this: { screen(ctx: Context<unknown, CallMeta>, req: IncomingMessage): void }, ctx: Context<unknown, CallMeta>, _route: unknown, req: IncomingMessage, _res: ServerResponse, alias: { path?: string; action?: string }) {
        const access = accessOf(alias);
        if (access !== "public" && !ctx.meta.caller) throw new UnauthorizedError();
        if (access === "admin" && ctx.meta.caller?.role !== "admin") throw new ForbiddenError();
        this.screen(ctx, req);
      },

      /** What the gateway checks of every request itself, once the caller may make it. */
      screen(ctx: Context<unknown, CallMeta>, req: IncomingMessage & { body?: unknown; query?: unknown }) {
        const forbidden = prototypeKey(req.body) ?? prototypeKey(req.query);
        if (forbidden !== undefined) throw new BadRequestError(`The key "${forbidden}" is not allowed anywhere in a request`, "FORBIDDEN_KEY", { key: forbidden });
        const key = req.headers["idempotency-key"];
        if (key === undefined) return;
        // A key the server cannot keep must not be ignored: the client's retry would act twice.
        if (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key)) {
          throw new BadRequestError("Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)", "INVALID_IDEMPOTENCY_KEY");
        }
        ctx.meta.idempotencyKey = key;
      },

      /**
       * Metrics name shows, revenue and nodes: with METRICS_TOKEN set they need it as a bearer
       * token; without, only a client on this machine may read them.
       */
      serveMetrics(req: GatewayRequest, res: ServerResponse) {
        const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
        const allowed = metricsToken === undefined
          ? LOOPBACK.has(req.socket.remoteAddress ?? "")
          : bearer !== undefined && timingSafeEqual(createHash("sha256").update(bearer).digest(), metricsToken);
        if (!allowed && metricsToken) throw new UnauthorizedError("Send Authorization: Bearer <METRICS_TOKEN>", "INVALID_TOKEN");
        if (!allowed) throw new ForbiddenError("Metrics are served to this machine only; set METRICS_TOKEN to scrape them from elsewhere", "METRICS_LOCAL_ONLY");
        const text = prometheusText(this.broker);
        if (text === undefined) throw new MarqueeError("Metrics are off on this node (METRICS=off)", 404, "METRICS_OFF");
        res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
        res.end(text);
      },

      async serveDocs(_req: GatewayRequest, res: ServerResponse, name?: string) {
        const file = await docsFile(name);
        if (!file) throw new NotFoundError("File", String(name).slice(0, 100));
        res.writeHead(200, { "Content-Type": file.contentType, "Cache-Control": "public, max-age=3600" });
        res.end(file.body);
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

    created(this: { server?: Server; name: string }) {
      if (this.server) deepenBacklog(this.server);
    },

    started(this: { broker: ServiceBroker; server?: Server; logger: Parameters<typeof logRequests>[1] }) {
      link = followLink((this.broker.transit?.tx as { client?: unknown } | undefined)?.client);
      // Ahead of moleculer-web's handler, so every answer carries them: the web app, the API, errors.
      this.server?.prependListener("request", (req, res) => setSecurityHeaders(req, res, config.trustProxy));
      if (this.server) logRequests(this.server, this.logger, config.logFormat === "json");
      // Last, so it runs first: a refused request costs no header, log line or routing.
      if (this.server) shedding.guard(this.server);
      shedding.start(this.broker);
    },

    stopped() {
      shedding.stop();
      link.stop();
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
      /** OpenAPI 3.1, generated from the routes above and the params schemas of the actions they call. */
      openapi: {
        handler() {
          const settings = this.settings as { routes: { path: string; aliases: Record<string, unknown> }[] };
          const params = new Map(this.broker.registry.getActionList({ skipInternal: true }).map((a) => [a.name, (a.action as { params?: Record<string, never> } | undefined)?.params]));
          const routes: Route[] = settings.routes.flatMap((route) => Object.entries(route.aliases).map(([alias, target]) => {
            const [method, path] = alias.split(" ") as [string, string];
            const full = `${route.path}${path === "/" ? "" : `/${path}`}`;
            if (typeof target !== "string") return { method, path: full };
            return { method, path: full, action: target, params: params.get(FORWARDED[target] ?? target) };
          }));
          return openApiDocument({
            title: "Marquee", version: "0.1.0", routes, successes, errorSchema,
            description: "Movie tickets: shows, seat holds, bookings and payments. Errors are {name, message, code, type, data}.",
          });
        },
      },

      health: {
        handler(this: { broker: { nodeID: string }; server?: { address(): AddressInfo | string | null } }) {
          return { status: "ok", nodeID: this.broker.nodeID, uptimeSeconds: Math.round(process.uptime()), time: new Date().toISOString() };
        },
      },
      // Readiness, unlike health (liveness): can this node do its work right now? A load balancer
      // stops sending requests to a node that answers 503 here, and a restart would not help it.
      ready: {
        async handler(this: { broker: { nodeID: string; transit?: { connected: boolean } } }) {
          const checks: Record<string, string> = {};
          checks.store = await store.ping().then(() => "ok", () => "unreachable");
          if (config.transporter) checks.transporter = this.broker.transit?.connected && link.up() ? "ok" : "disconnected";
          const failing = Object.entries(checks).filter(([, state]) => state !== "ok");
          if (failing.length) {
            throw new ServiceUnavailableError(`This node is not ready: ${failing.map(([what, state]) => `${what} ${state}`).join(", ")}`, 2, "NOT_READY", { checks });
          }
          return { status: "ready", nodeID: this.broker.nodeID, checks };
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
