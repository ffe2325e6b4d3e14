// The gateway's hook into load shedding (domain/load/admission.ts): every HTTP request takes a
// slot before moleculer-web routes it (each routed request is a Moleculer action call of its
// own, then body parsing, authentication and the call it aliases), and gives it back when the
// answer is sent or the client hangs up. A full class is refused at once with 503 OVERLOADED
// and Retry-After, in the public error shape, written here rather than thrown: moleculer-web
// logs every thrown 5xx with its stack, which under a burst costs more than the refusal, and a
// shed request is the node working as designed, not a failure.
import type { IncomingMessage, ServerResponse } from "node:http";
import { AdmissionLimiter, loadClassOf, type LoadClass } from "../domain/load/admission.ts";
import type { MarqueeConfig } from "../moleculer.config.ts";

/** Seconds a refused client should wait: a burst drains in well under a second, and a 1 s hint spreads the retries out. */
const RETRY_AFTER_SECONDS = 1;

const refusals: Record<LoadClass, Buffer> = {
  write: refusal("write"),
  read: refusal("read"),
};

function refusal(kind: LoadClass): Buffer {
  return Buffer.from(JSON.stringify({
    name: "ServiceUnavailableError", message: "The service is busy right now; try again in a moment", code: 503, type: "OVERLOADED",
    data: { retryAfter: RETRY_AFTER_SECONDS, class: kind },
  }));
}

function refuse(res: ServerResponse, kind: LoadClass): void {
  res.writeHead(503, { "Content-Type": "application/json; charset=utf-8", "Retry-After": String(RETRY_AFTER_SECONDS), "Content-Length": refusals[kind].length });
  res.end(refusals[kind]);
}

export function loadShedding(config: Pick<MarqueeConfig, "shedMaxWrites" | "shedMaxReads">) {
  const limiter = new AdmissionLimiter({ write: config.shedMaxWrites || Infinity, read: config.shedMaxReads || Infinity });
  /** True when the request may go on (its slot is given back when it is answered); false when it was refused. */
  const admit = (req: IncomingMessage, res: ServerResponse): boolean => {
    const kind = loadClassOf(req.method ?? "GET", req.url ?? "/");
    if (!kind) return true;
    const release = limiter.enter(kind);
    if (!release) {
      refuse(res, kind);
      return false;
    }
    res.once("finish", release);
    res.once("close", release);
    return true;
  };
  return { limiter, admit };
}
