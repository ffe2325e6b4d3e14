// The gateway's hook into load shedding (domain/load/admission.ts). The admission check is the
// HTTP server's one `request` listener: it runs on the raw node:http request, before the access
// log, the security headers and moleculer-web (which routes each request through a Moleculer
// call of its own, body parsing and authentication), and a refused request reaches none of them.
// The refusal is a precomputed 503 OVERLOADED with Retry-After in the public error shape: under
// a burst a refusal must cost as little as the HTTP parsing that precedes it, because every
// microsecond spent refusing is taken from the requests the node accepted. Refusals are counted
// in the metrics, not logged a line each: a node that logs every refusal sheds its own capacity.
// Each request is checked with how long the current turn of the event loop has run (how long it
// has waited already); a timer due every TICK_MS measures how late the loop runs and how busy it
// was (Node's event-loop utilization), which tell the limiter whether the loop is saturated and
// move its in-flight bounds.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { ListenOptions } from "node:net";
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
/** Connections the kernel may queue for accept(); Linux caps it at net.core.somaxconn (4096 by default). */
const BACKLOG = 4096;
/** Metrics are written every this many ticks, not per request. */
const REPORT_EVERY = 10;

/** The body is a string: node:http then sends it with the head in one write, where a Buffer costs a writev of two. */
function refusal(kind: LoadClass): { headers: string[]; body: string } {
  const body = JSON.stringify({
    name: "ServiceUnavailableError", message: "The service is busy right now; try again in a moment", code: 503, type: "OVERLOADED",
    data: { retryAfter: RETRY_AFTER_SECONDS, class: kind },
  });
  const headers = { ...SECURITY_HEADERS, "Content-Type": "application/json; charset=utf-8", "Retry-After": String(RETRY_AFTER_SECONDS), "Content-Length": String(Buffer.byteLength(body)) };
  return { headers: Object.entries(headers).flat(), body };
}

const refusals: Record<LoadClass, ReturnType<typeof refusal>> = { write: refusal("write"), read: refusal("read") };

/**
 * Listens with a backlog of BACKLOG instead of Node's 511 (call it before the server listens).
 * A burst of new customers (an on-sale opening) connects faster than one turn of the loop
 * accepts; past the backlog the kernel drops their handshakes, and each one dropped costs its
 * customer a second or more of retransmits before a request can even be refused.
 */
export function deepenBacklog(server: Server): void {
  const listen = server.listen.bind(server) as (options: ListenOptions, callback?: () => void) => Server;
  // moleculer-web calls listen(port, host, callback).
  server.listen = ((port: number, host: string, callback?: () => void) => listen({ port, host, backlog: BACKLOG }, callback)) as Server["listen"];
}

export function loadShedding(config: Pick<MarqueeConfig, "shedMaxWrites" | "shedMaxReads" | "shedTargetDelayMs">) {
  // SHED_TARGET_DELAY_MS=0: fixed bounds.
  const target: DelayTarget | undefined = config.shedTargetDelayMs > 0 ? { targetMs: config.shedTargetDelayMs, intervalMs: INTERVAL_MS, floor: FLOOR } : undefined;
  const limiter = new AdmissionLimiter({ write: config.shedMaxWrites || Infinity, read: config.shedMaxReads || Infinity }, target);
  let timer: NodeJS.Timeout | undefined;
  /**
   * When the current turn of the loop read its first request: the turn's requests were all in
   * the kernel when it began. Requests are read in the loop's poll phase and setImmediate runs
   * right after it, so one callback a turn marks its end.
   */
  let turnStart: number | undefined;
  const endTurn = () => {
    turnStart = undefined;
  };

  /** True when the request may go on (its slot is given back when it is answered); false when it was refused. */
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    const kind = loadClassOf(req.method ?? "GET", req.url ?? "/");
    if (!kind) return true;
    const now = performance.now();
    if (turnStart === undefined) {
      turnStart = now;
      setImmediate(endTurn);
    }
    const release = limiter.enter(kind, now - turnStart);
    if (!release) {
      res.writeHead(503, refusals[kind].headers);
      res.end(refusals[kind].body, "latin1");
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
    let due = performance.now() + TICK_MS;
    let utilization = performance.eventLoopUtilization();
    const tick = () => {
      const now = performance.now();
      const delayMs = Math.max(0, now - due);
      const current = performance.eventLoopUtilization();
      limiter.observeLoop(now, delayMs, performance.eventLoopUtilization(current, utilization).active);
      utilization = current;
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
