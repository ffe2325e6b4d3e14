// The local Stripe-compatible processor: the REST subset the gateway adapter uses, webhooks and
// the hosted pages, on node:http over Marquee's store port (memory or Redis), so the official
// stripe SDK runs end to end against it and a restart loses no payment.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StoreUnavailableError, type Store } from "../infra/store.ts";
import { apiRoutes, errorReply, type Answer } from "./api.ts";
import { invalidRequest, unauthorized } from "./errors.ts";
import { API_VERSION } from "./events.ts";
import { NO_FAULTS, parseFaults, type FaultPlan } from "./faults.ts";
import { decodeForm } from "./form.ts";
import { pageRoutes } from "./hosted.ts";
import { BodyTooLarge, html, json, match, readBody, send, type Reply } from "./http.ts";
import { fingerprintOf, IdempotencyKeys } from "./idempotency.ts";
import { Ledger } from "./ledger.ts";
import { errorPage } from "./pages.ts";
import { newId, Runtime } from "./runtime.ts";
import { Webhooks, type Logger } from "./webhooks.ts";

export interface ProcessorOptions {
  /** Where payments, keys and pending webhooks live; every name it is given starts with `stripe:`. */
  store: Store;
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** How browsers reach the processor (links to the hosted pages); defaults to http://host:port. */
  publicUrl?: string;
  secretKey: string;
  publishableKey: string;
  /** Where events are POSTed; without it no webhook is sent. */
  webhookUrl?: string | (() => string | undefined);
  webhookSecret?: string;
  /** A plan, or its text form (`latency=200,decline=0.1,seed=42`, see faults.ts). */
  faults?: FaultPlan | string;
  /** First webhook retry after this long (doubling each time, up to webhookMaxRetryMs). */
  webhookRetryMs?: number;
  webhookMaxRetryMs?: number;
  /** How long the reorder fault holds an event back (plus up to as much again). */
  webhookReorderHoldMs?: number;
  logger?: Logger;
}

export interface RunningProcessor {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function planOf(faults: FaultPlan | string | undefined): FaultPlan {
  if (faults === undefined) return NO_FAULTS;
  if (typeof faults !== "string") return faults;
  const plan = parseFaults(faults);
  if ("error" in plan) throw new Error(`processor faults: ${plan.error}`);
  return plan;
}

function checkKeys(options: ProcessorOptions): void {
  if (!options.secretKey.startsWith("sk_")) throw new Error("processor: secretKey must start with sk_");
  if (!options.publishableKey.startsWith("pk_")) throw new Error("processor: publishableKey must start with pk_");
  if (options.webhookUrl && !options.webhookSecret?.startsWith("whsec_")) throw new Error("processor: webhookUrl needs a webhookSecret starting with whsec_");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stripe's masking of a key it does not know: the prefix and the last four characters. */
const masked = (key: string) => `${key.slice(0, key.indexOf("_", 3) + 1)}${"*".repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

export async function startProcessor(options: ProcessorOptions): Promise<RunningProcessor> {
  checkKeys(options);
  const { store, secretKey, publishableKey, logger } = options;
  const host = options.host ?? "127.0.0.1";
  const ledger = new Ledger(store);
  const keys = new IdempotencyKeys(store);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const rt = new Runtime(ledger, (options.publicUrl ?? url).replace(/\/$/, ""), planOf(options.faults), logger, secretKey);
  if (options.webhookUrl) {
    rt.webhooks = new Webhooks(store, {
      url: options.webhookUrl, secret: options.webhookSecret!, retryMs: options.webhookRetryMs ?? 1_000, maxRetryMs: options.webhookMaxRetryMs ?? 3_600_000,
      reorderHoldMs: options.webhookReorderHoldMs ?? 500, faults: () => rt.faults, draw: rt.draw, logger,
    });
  }
  const api = apiRoutes(rt);
  const pages = pageRoutes(rt, publishableKey);

  async function callApi(req: IncomingMessage, path: string, query: string): Promise<Answer> {
    const found = match(api, req.method ?? "GET", path);
    if ("allowed" in found) return errorReply({ ...invalidRequest(`Unrecognized request URL (${req.method}: ${path}).`), status: 404 });
    const auth = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!auth) return errorReply(unauthorized("You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY')."));
    if (auth !== secretKey && auth !== publishableKey) return errorReply(unauthorized(`Invalid API Key provided: ${masked(auth)}`));
    if (auth === publishableKey && !found.route.handler.publishable) return errorReply(unauthorized("This API call cannot be made with a publishable API key. Please use a secret API key."));
    if (rt.faults.latencyMs > 0) await sleep(rt.faults.latencyMs);
    const body = req.method === "POST" ? await readBody(req) : query;
    const decoded = decodeForm(body);
    if (!decoded.ok) return errorReply(invalidRequest(`Invalid parameter: ${decoded.param}`, "parameter_invalid", decoded.param));
    const idempotencyKey = req.method === "POST" ? (req.headers["idempotency-key"] as string | undefined) ?? null : null;
    const request = { id: newId("req"), idempotencyKey };
    const call = () => found.route.handler.handler({ params: decoded.params, path: found.params, request });
    if (idempotencyKey === null) return call();
    if (idempotencyKey.length > 255) return errorReply(invalidRequest("Idempotency-Key must be at most 255 characters.", "idempotency_key_too_long"));
    const scoped = `${auth === secretKey ? "secret" : "publishable"}:${idempotencyKey}`;
    const fingerprint = fingerprintOf(secretKey, req.method!, path, body);
    const claim = await keys.claim(scoped, fingerprint, Date.now());
    if ("replay" in claim) return { status: claim.replay.status, body: claim.replay.body, headers: { "idempotent-replayed": "true" } };
    if ("conflict" in claim) {
      return claim.conflict === "mismatch"
        ? json(400, { error: { type: "idempotency_error", message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` } })
        : json(409, { error: { type: "idempotency_error", code: "idempotency_key_in_use", message: "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please try again later." } });
    }
    try {
      const answer = await call();
      await keys.keep(scoped, fingerprint, { status: answer.status, body: answer.body }, Date.now());
      return answer;
    } catch (error) {
      await keys.release(scoped).catch(() => undefined);
      throw error;
    }
  }

  async function callPage(req: IncomingMessage, path: string, query: URLSearchParams, nonce: string): Promise<Reply> {
    const found = match(pages, req.method ?? "GET", path);
    if ("allowed" in found) return html(found.allowed.length ? 405 : 404, errorPage(nonce, "This page does not exist."));
    const form = new URLSearchParams(req.method === "POST" ? await readBody(req) : "");
    return found.route.handler({ query, form, path: found.params, nonce });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const nonce = randomBytes(16).toString("base64");
    let path = "/";
    let answer: Answer;
    try {
      const target = new URL(req.url ?? "/", "http://processor");
      path = target.pathname;
      answer = path.startsWith("/v1/") ? await callApi(req, path, target.search.slice(1)) : await callPage(req, path, target.searchParams, nonce);
    } catch (error) {
      answer = failure(error, path, nonce);
    }
    const ms = (performance.now() - started).toFixed(1);
    if (answer.hangUp) {
      // Never answered (until stop): a reset would not do, because the SDK retries a reset
      // connection once, under the same Idempotency-Key, even with maxNetworkRetries 0.
      logger?.info(`${req.method} ${path} charged, then left unanswered (fault timeout_after_charge) ${ms}ms`);
      return;
    }
    send(res, { ...answer, headers: { "request-id": newId("req"), "stripe-version": API_VERSION, ...answer.headers } }, nonce);
    logger?.info(`${req.method} ${path} ${answer.status} ${ms}ms`);
  }

  function failure(error: unknown, path: string, nonce: string): Answer {
    if (error instanceof BodyTooLarge) return errorReply({ ...invalidRequest("The request body is too large."), status: 413 });
    if (error instanceof URIError || (error as { code?: string }).code === "ERR_INVALID_URL") return errorReply({ ...invalidRequest("The request URL is malformed."), status: 404 });
    const unavailable = error instanceof StoreUnavailableError;
    logger?.warn(`${path}: ${(error as Error).message}`);
    const message = unavailable ? "The processor's store is unavailable; retry with the same Idempotency-Key." : "An error occurred with our connection to Stripe.";
    return path.startsWith("/v1/") ? json(unavailable ? 503 : 500, { error: { type: "api_error", message } }) : { status: 500, body: errorPage(nonce, message), html: true };
  }

  server.removeAllListeners("error");
  server.on("request", (req, res) => void handle(req, res));
  await rt.webhooks?.start();
  await rt.resume();
  logger?.info(`processor listening on ${url}${typeof options.webhookUrl === "string" ? `, webhooks to ${options.webhookUrl}` : ""}`);
  return {
    url,
    port,
    async stop() {
      rt.stop();
      await rt.webhooks?.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
