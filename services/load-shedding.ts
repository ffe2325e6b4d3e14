// The gateway's hook into load shedding (domain/load/admission.ts): a route middleware that
// takes a slot for each request before any action is called and gives it back when the answer
// is sent (or the client hangs up). A full class is refused at once with 503 OVERLOADED and
// Retry-After, which the gateway's onError writes like any other error.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AdmissionLimiter, loadClassOf } from "../domain/load/admission.ts";
import type { MarqueeConfig } from "../moleculer.config.ts";
import { ServiceUnavailableError } from "./errors.ts";

/** Seconds a refused client should wait: a burst drains in well under a second, and a 1 s hint spreads the retries out. */
const RETRY_AFTER_SECONDS = 1;

export function loadShedding(config: Pick<MarqueeConfig, "shedMaxWrites" | "shedMaxReads">) {
  const limiter = new AdmissionLimiter({ write: config.shedMaxWrites || Infinity, read: config.shedMaxReads || Infinity });
  const middleware = (req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: (error?: unknown) => void) => {
    const kind = loadClassOf(req.method ?? "GET", req.originalUrl ?? req.url ?? "/");
    if (!kind) return next();
    const release = limiter.enter(kind);
    if (!release) {
      return next(new ServiceUnavailableError("The service is busy right now; try again in a moment", RETRY_AFTER_SECONDS, "OVERLOADED", { class: kind }));
    }
    res.once("finish", release);
    res.once("close", release);
    next();
  };
  return { limiter, middleware };
}
