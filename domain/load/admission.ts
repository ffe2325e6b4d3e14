// Load shedding: how much work a node accepts at once, per class of request. Past the bound a
// request is refused at once (the gateway answers 503 with Retry-After) rather than queued:
// a queue in front of a saturated node only turns overload into timeouts for everyone, while
// a bounded number in flight keeps the accepted requests at the latency of a busy, not a
// drowning, node (Little's law: in-flight = rate x latency, so bounding one bounds the other).
//
// On one event loop the queue that hurts is the one in front of it: requests waiting in the
// kernel until the loop reads them, which no in-flight count sees (an admitted request is mostly
// served within the turn of the loop that read it). So each turn that reads requests is timed:
// while the loop is saturated (busy nearly all of the last interval: more is offered than it
// can serve), a request read past its class's budget in a turn is refused, because it has
// waited that long already. Each turn then does about a target's worth of work and refuses the
// rest cheaply, whatever is offered; a loop with idle moments catches up by itself and refuses
// nothing, however bursty its traffic.
// Work that outlives its turn (a Redis round trip) is bounded in flight, per class, between a
// floor and its configured ceiling, driven by how late the event loop runs (the gateway measures
// it: a timer due every few ms that fires late says how long every socket waited to be read). As
// in CoDel (Nichols and Jacobson, "Controlling Queue Delay", 2012), the signal is the least delay
// over an interval: a busy loop has on-time moments, a queued one has none, and a GC pause or a
// burst is not a queue. Past the target, the bound drops to below what was in flight, by as much
// as the delay overshoots it (Netflix's concurrency-limits "gradient": limit x target / delay,
// cut by at least a quarter), so a few late intervals bring it from its ceiling to its floor; on
// time, it grows by a tenth, so a node recovers by itself in about two seconds.
// Pure bookkeeping: no clock, no I/O; the gateway calls enter() with how long the current turn
// has run, the release it gets back, and observeLoop() with each delay and busy time it measures.

/** Holds and every other write cost an actor turn; reads are cheaper and cached. */
export type LoadClass = "write" | "read";

export interface AdmissionLimits {
  /** Most requests of each class in flight at once on this node (Infinity: never shed). */
  write: number;
  read: number;
}

export interface AdmissionStats { inFlight: Record<LoadClass, number>; limit: Record<LoadClass, number>; accepted: Record<LoadClass, number>; shed: Record<LoadClass, number> }

/** How the bounds follow the event loop's delay. */
export interface DelayTarget {
  /** Least event-loop delay (ms) over an interval above which the node is queueing, not just busy. */
  targetMs: number;
  /** The interval (ms) over which the least delay is taken, and how often the bounds move. */
  intervalMs: number;
  /** The lowest a bound goes: a stall of the loop must not stop a class altogether. */
  floor: number;
}

/** A bound is cut by at least a quarter, at most to a tenth, in one interval. */
const LEAST_CUT = 0.75;
const MOST_CUT = 0.1;
const GROWTH = 0.1;
const MIN_SAMPLES = 3;
/** The share of an interval the loop must be busy to be saturated: offered more than it serves. */
const SATURATED = 0.95;
/** Reads are let in this many targets into a turn of a saturated loop: they are cheap, and the catalog and seat maps must stay up under a flood of holds. */
const READ_PATIENCE = 4;
/** A turn this many targets long is a queue by itself, saturated or not (a burst from idle). */
const LONG_TURN = 10;

const NEVER_SHED = new Set(["/api/health", "/api/ready", "/metrics"]);

/**
 * Which class a request belongs to, or undefined for requests that are never shed: the health
 * and readiness checks (a load balancer must see a busy node as alive, and ask it whether it is
 * ready), the metrics (a busy node is when they matter most) and live streams (long-lived by
 * design; they cost a socket, not work, once open).
 */
export function loadClassOf(method: string, path: string): LoadClass | undefined {
  const bare = path.split("?", 1)[0]!;
  if (NEVER_SHED.has(bare) || bare.endsWith("/events")) return undefined;
  return method === "GET" || method === "HEAD" || method === "OPTIONS" ? "read" : "write";
}

/**
 * A class's next bound from the least event-loop delay over the last interval and the most it had
 * in flight meanwhile: cut below what was in flight when the loop was late all interval, else
 * grown towards the ceiling. An unbounded class (Infinity) stays unbounded.
 */
export function nextLimit(limit: number, peakInFlight: number, ceiling: number, leastDelayMs: number, target: DelayTarget): number {
  if (ceiling === Infinity) return Infinity;
  const floor = Math.min(target.floor, ceiling);
  if (leastDelayMs > target.targetMs) {
    const cut = Math.min(LEAST_CUT, Math.max(MOST_CUT, target.targetMs / leastDelayMs));
    return Math.max(floor, Math.floor(Math.min(limit, peakInFlight) * cut));
  }
  return Math.min(ceiling, limit + Math.max(1, Math.ceil(limit * GROWTH)));
}

export class AdmissionLimiter {
  /** The configured bounds: what the adaptive bounds never exceed. */
  readonly #ceilings: AdmissionLimits;
  readonly #limits: AdmissionLimits;
  readonly #inFlight: Record<LoadClass, number> = { write: 0, read: 0 };
  readonly #peak: Record<LoadClass, number> = { write: 0, read: 0 };
  /** The interval under way: when it began, the least delay seen in it, how long the loop was busy, and how many samples. */
  #interval: { start: number; leastDelayMs: number; busyMs: number; samples: number } | undefined;
  /** Whether the loop was busy nearly all of the last interval. */
  #saturated = false;
  /** Undefined: the bounds stay as configured. */
  readonly #target: DelayTarget | undefined;
  readonly #accepted: Record<LoadClass, number> = { write: 0, read: 0 };
  readonly #shed: Record<LoadClass, number> = { write: 0, read: 0 };

  constructor(limits: AdmissionLimits, target?: DelayTarget) {
    for (const [name, limit] of Object.entries(limits)) {
      if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 1))) throw new RangeError(`the ${name} limit must be a positive integer or Infinity, got ${limit}`);
    }
    this.#target = target;
    this.#ceilings = { ...limits };
    this.#limits = { ...limits };
  }

  /**
   * Takes a slot for one request of this class: the function that gives it back (call it once,
   * when the answer is sent or the client goes away; later calls do nothing), or undefined
   * when the request must be refused now.
   *
   * `turnMs` is how long the current turn of the event loop has run when the request is read.
   * Every request read in a turn was waiting in the kernel when the turn began, so each has
   * waited at least that long, and on one event loop an admitted request is mostly served
   * within the turn that reads it: an in-flight bound never fills, and the queue that hurts is
   * the one in the sockets. So while the loop is saturated, a request read past its class's
   * budget is refused: writes past the target, reads past READ_PATIENCE targets. A turn past
   * LONG_TURN targets is refused from there on even in a loop that was not saturated before it
   * (a burst from idle). An unbounded class (no ceiling configured) is never shed.
   */
  enter(kind: LoadClass, turnMs = 0): (() => void) | undefined {
    const target = this.#target;
    const bound = this.#limits[kind];
    const queueing = target !== undefined && (this.#saturated || turnMs > target.targetMs * LONG_TURN);
    const late = queueing && bound !== Infinity && turnMs > target.targetMs * (kind === "read" ? READ_PATIENCE : 1);
    if (late || this.#inFlight[kind] >= bound) {
      this.#shed[kind] += 1;
      return undefined;
    }
    this.#inFlight[kind] += 1;
    if (this.#inFlight[kind] > this.#peak[kind]) this.#peak[kind] = this.#inFlight[kind];
    this.#accepted[kind] += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inFlight[kind] -= 1;
    };
  }

  /**
   * One sample of the loop at `now`: how late a timer fired (ms) and how long the loop was busy
   * since the previous sample (ms). Once an interval has passed, every in-flight bound takes its
   * next step from the least delay seen in it, and the loop counts as saturated for the next
   * interval when it was busy nearly all of this one.
   */
  observeLoop(now: number, delayMs: number, busyMs = 0): void {
    const target = this.#target;
    if (!target) return;
    if (!this.#interval) {
      this.#interval = { start: now, leastDelayMs: delayMs, busyMs: 0, samples: 1 };
      return;
    }
    this.#interval.leastDelayMs = Math.min(this.#interval.leastDelayMs, delayMs);
    this.#interval.busyMs += busyMs;
    this.#interval.samples += 1;
    // One stall (a GC pause) can span an interval alone: it takes a few late samples to be a queue.
    if (now - this.#interval.start < target.intervalMs || this.#interval.samples < MIN_SAMPLES) return;
    for (const kind of ["write", "read"] as const) {
      this.#limits[kind] = nextLimit(this.#limits[kind], this.#peak[kind], this.#ceilings[kind], this.#interval.leastDelayMs, target);
      this.#peak[kind] = this.#inFlight[kind];
    }
    this.#saturated = this.#interval.busyMs >= SATURATED * (now - this.#interval.start);
    this.#interval = undefined;
  }

  stats(): AdmissionStats {
    return { inFlight: { ...this.#inFlight }, limit: { ...this.#limits }, accepted: { ...this.#accepted }, shed: { ...this.#shed } };
  }
}
