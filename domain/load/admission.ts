// Load shedding: how much work a node accepts at once, per class of request. Past the bound a
// request is refused at once (the gateway answers 503 with Retry-After) rather than queued:
// a queue in front of a saturated node only turns overload into timeouts for everyone, while
// a bounded number in flight keeps the accepted requests at the latency of a busy, not a
// drowning, node (Little's law: in-flight = rate x latency, so bounding one bounds the other).
// Pure bookkeeping: no clock, no I/O; the gateway calls enter() and the release it gets back.

/** Holds and every other write cost an actor turn; reads are cheaper and cached. */
export type LoadClass = "write" | "read";

export interface AdmissionLimits {
  /** Most requests of each class in flight at once on this node (Infinity: never shed). */
  write: number;
  read: number;
}

export interface AdmissionStats { inFlight: Record<LoadClass, number>; accepted: Record<LoadClass, number>; shed: Record<LoadClass, number> }

/**
 * Which class a request belongs to, or undefined for requests that are never shed: the health
 * check (a load balancer must see a busy node as alive) and live streams (long-lived by design;
 * they cost a socket, not work, once open).
 */
export function loadClassOf(method: string, path: string): LoadClass | undefined {
  const bare = path.split("?", 1)[0]!;
  if (bare === "/api/health" || bare.endsWith("/events")) return undefined;
  return method === "GET" || method === "HEAD" || method === "OPTIONS" ? "read" : "write";
}

export class AdmissionLimiter {
  readonly #limits: AdmissionLimits;
  readonly #inFlight: Record<LoadClass, number> = { write: 0, read: 0 };
  readonly #accepted: Record<LoadClass, number> = { write: 0, read: 0 };
  readonly #shed: Record<LoadClass, number> = { write: 0, read: 0 };

  constructor(limits: AdmissionLimits) {
    for (const [name, limit] of Object.entries(limits)) {
      if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 1))) throw new RangeError(`the ${name} limit must be a positive integer or Infinity, got ${limit}`);
    }
    this.#limits = { ...limits };
  }

  /**
   * Takes a slot for one request of this class: the function that gives it back (call it once,
   * when the answer is sent or the client goes away; later calls do nothing), or undefined
   * when the class is full and the request must be refused now.
   */
  enter(kind: LoadClass): (() => void) | undefined {
    if (this.#inFlight[kind] >= this.#limits[kind]) {
      this.#shed[kind] += 1;
      return undefined;
    }
    this.#inFlight[kind] += 1;
    this.#accepted[kind] += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight[kind] -= 1;
    };
  }

  stats(): AdmissionStats {
    return { inFlight: { ...this.#inFlight }, accepted: { ...this.#accepted }, shed: { ...this.#shed } };
  }
}
