// The gateway's hook into load shedding (domain/load/admission.ts). The admission check is the
// HTTP server's one `request` listener: it runs on the raw node:http request, before the access
// log, the security headers and moleculer-web (which routes each request through a Moleculer
// call of its own, body parsing and authentication), and a refused request reaches none of them.
// The refusal is a precomputed 503 OVERLOADED with Retry-After in the public error shape: under
// a burst a refusal must cost as little as the HTTP parsing that precedes it, because every
// microsecond spent refusing is taken from the requests the node accepted. Refusals are counted
// in the metrics, not logged a line each: a node that logs every refusal sheds its own capacity.
// A timer due every TICK_MS measures how late the event loop runs, which is how long any socket
// waited to be read; the limiter's bounds follow it.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";
import { AdmissionLimiter, loadClassOf, type AdmissionStats, type DelayTarget, type LoadClass } from "../domain/load/admission.ts";
import type { MarqueeConfig } from "../moleculer.config.ts";
import { count, gauge, observe } from "./metrics.ts";
import { SECURITY_HEADERS } from "./security-headers.ts";

/** Seconds a refused client should wait: a burst drains in well under a second, and a 1 s hint spreads the retries out. */
const RETRY_AFTER_SECONDS = 1;
/** How often the event loop's delay is sampled and the bounds stepped. */
const TICK_MS = 10;
/** The interval over which the least delay is taken: a few ticks, as CoDel's 100 ms is a few round trips. */
const INTERVAL_MS = 50;
/** The least a class's bound goes: about what one node has in flight at its best (~2,000 holds/s x ~8 ms, Little's law). */
const FLOOR = 16;
/** Metrics are written every this many ticks, not per request. */
const REPORT_EVERY = 10;

function refusal(kind: LoadClass): { headers: string[]; body: Buffer } {
  const body = Buffer.from(JSON.stringify({
    name: "ServiceUnavailableError", message: "The service is busy right now; try again in a moment", code: 503, type: "OVERLOADED",
    data: { retryAfter: RETRY_AFTER_SECONDS, class: kind },
  }));
  const headers = { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8", "Retry-After": String(RETRY_AFTER_SECONDS), "Content-Length": String(body.length) };
  return { headers: Object.entries(headers).flat(), body };
}

const refusals: Record<LoadClass, ReturnType<typeof refusal>> = { write: refusal("write"), read: refusal("read") };

export function loadShedding(config: Pick<MarqueeConfig, "shedMaxWrites" | "shedMaxReads" | "shedTargetDelayMs">) {
  // SHED_TARGET_DELAY_MS=0: fixed bounds.
  const target: DelayTarget | undefined = config.shedTargetDelayMs > 0 ? { targetMs: config.shedTargetDelayMs, intervalMs: INTERVAL_MS, floor: FLOOR } : undefined;
  const limiter = new AdmissionLimiter({ write: config.shedMaxWrites || Infinity, read: config.shedMaxReads || Infinity }, target);
  let timer: NodeJS.Timeout | undefined;
  /** When the delay timer is next due: how overdue it is says how long the current turn of the loop has run. */
  let due = Infinity;

  /** True when the request may go on (its slot is given back when it is answered); false when it was refused. */
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    const kind = loadClassOf(req.method ?? "GET", req.url ?? "/");
    if (!kind) return true;
    const release = limiter.enter(kind, performance.now() - due);
    if (!release) {
      res.writeHead(503, refusals[kind].headers);
      res.end(refusals[kind].body);
      return false;
    }
    res.once("finish", release);
    res.once("close", release);
    return true;
  };

  /** Puts admission in front of every other `request` listener of the server (call it after they are all added). */
  const guard = (server: Server): void => {
    const listeners = server.listeners("request") as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (!admit(req, res)) return;
      for (const listener of listeners) listener.call(server, req, res);
    });
  };

  /** Starts stepping the bounds with the event loop's delay, and reporting them to the broker's metrics. */
  const start = (broker: ServiceBroker): void => {
    let reported: AdmissionStats = limiter.stats();
    let ticks = 0;
    due = performance.now() + TICK_MS;
    const tick = () => {
      const now = performance.now();
      const delayMs = Math.max(0, now - due);
      limiter.observeDelay(now, delayMs);
      observe(broker, "marquee.eventloop.delay", delayMs);
      if (++ticks % REPORT_EVERY === 0) reported = report(broker, limiter.stats(), reported);
      due = now + TICK_MS;
      timer = setTimeout(tick, TICK_MS);
      timer.unref();
    };
    timer = setTimeout(tick, TICK_MS);
    timer.unref();
  };

  const stop = (): void => {
    clearTimeout(timer);
    due = Infinity;
  };

  return { limiter, admit, guard, start, stop };
}

function report(broker: ServiceBroker, now: AdmissionStats, before: AdmissionStats): AdmissionStats {
  for (const kind of ["write", "read"] as const) {
    count(broker, "marquee.admission.accepted.total", { class: kind }, now.accepted[kind] - before.accepted[kind]);
    count(broker, "marquee.admission.shed.total", { class: kind }, now.shed[kind] - before.shed[kind]);
    if (Number.isFinite(now.limit[kind])) gauge(broker, "marquee.admission.limit", now.limit[kind], { class: kind });
  }
  return now;
}
