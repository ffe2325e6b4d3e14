// Webhook delivery: each event is POSTed to the endpoint, signed as Stripe signs, and retried
// with exponential backoff until the endpoint answers 2xx. Deliveries wait in the store, so a
// processor that restarts over the same store still delivers what it owed; a lease per
// delivery keeps two processors sharing that store from both sending the same attempt.
import { randomUUID } from "node:crypto";
import type { Store } from "../infra/store.ts";
import { signatureHeader, type StripeEvent } from "./events.ts";
import { deliveryPlan, type FaultPlan } from "./faults.ts";
import { COLLECTIONS, SETS } from "./ledger.ts";

interface Delivery { id: string; payload: string; dueAt: number; attempt: number }

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface DeliveryOptions {
  /** Where events go; a function when it is known only later (the platform's own gateway, once it listens). */
  url: string | (() => string | undefined);
  secret: string;
  /** The first retry waits this long; each next one twice as long, up to maxRetryMs. */
  retryMs: number;
  maxRetryMs: number;
  /** How long a reordered event is held back (plus up to as much again, at random). */
  reorderHoldMs: number;
  faults: () => FaultPlan;
  draw: () => number;
  logger?: Logger;
}

const ATTEMPT_TIMEOUT_MS = 10_000;
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 5_000;

export class Webhooks {
  readonly #store: Store;
  readonly #options: DeliveryOptions;
  readonly #owner = randomUUID();
  readonly #due = new Map<string, Delivery>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #aborts = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(store: Store, options: DeliveryOptions) {
    this.#store = store;
    this.#options = options;
  }

  /** Picks up the deliveries a previous process left in the store. */
  async start(): Promise<void> {
    const ids = await this.#store.members(SETS.pendingDeliveries);
    const found = await this.#store.getMany<Delivery>(COLLECTIONS.deliveries, ids);
    for (const d of found) if (d) this.#due.set(d.id, d);
    this.#schedule();
  }

  async send(events: StripeEvent[]): Promise<void> {
    const now = Date.now();
    for (const event of events) {
      const payload = JSON.stringify(event, null, 2);
      const plan = deliveryPlan(this.#options.faults(), this.#options.draw, this.#options.reorderHoldMs);
      for (const [copy, after] of plan.entries()) {
        const delivery: Delivery = { id: `${event.id}:${copy}`, payload, dueAt: now + after, attempt: 0 };
        await this.#store.put(COLLECTIONS.deliveries, delivery.id, delivery);
        await this.#store.addToSet(SETS.pendingDeliveries, delivery.id);
        this.#due.set(delivery.id, delivery);
      }
      if (plan.length === 0) this.#options.logger?.info(`webhook ${event.id} ${event.type} dropped by the fault plan`);
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped) return;
    clearTimeout(this.#timer);
    const next = Math.min(...[...this.#due.values()].map((d) => d.dueAt));
    if (!Number.isFinite(next)) return;
    this.#timer = setTimeout(() => this.#runDue(), Math.max(0, next - Date.now()));
  }

  #runDue(): void {
    const now = Date.now();
    const due = [...this.#due.values()].filter((d) => d.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const d of due) {
      this.#due.delete(d.id);
      const attempt = this.#attempt(d).catch((error: unknown) => {
        // The store failed us: keep the delivery and try again later.
        this.#options.logger?.warn(`webhook ${d.id}: ${(error as Error).message}`);
        this.#retryLater(d);
      }).finally(() => {
        this.#inFlight.delete(attempt);
        this.#schedule();
      });
      this.#inFlight.add(attempt);
    }
    this.#schedule();
  }

  /** The next attempt of a failed one, after the backoff. */
  #later(d: Delivery): Delivery {
    return { ...d, attempt: d.attempt + 1, dueAt: Date.now() + Math.min(this.#options.retryMs * 2 ** d.attempt, this.#options.maxRetryMs) };
  }

  #retryLater(d: Delivery): void {
    if (!this.#stopped) this.#due.set(d.id, this.#later(d));
  }

  async #attempt(d: Delivery): Promise<void> {
    const lease = await this.#store.acquireLease(`stripe:delivery:${d.id}`, this.#owner, LEASE_MS);
    if (!lease.granted) {
      // Another processor is sending it; look again once its lease would have lapsed.
      this.#due.set(d.id, { ...d, dueAt: Date.now() + lease.remainingMs + 1 });
      return;
    }
    // Delivered (by another processor) since this one loaded it.
    if (!(await this.#store.get(COLLECTIONS.deliveries, d.id))) {
      await this.#release(d, lease.epoch);
      return;
    }
    const { secret } = this.#options;
    const url = typeof this.#options.url === "function" ? this.#options.url() : this.#options.url;
    let outcome: string;
    try {
      if (!url) throw new Error("no webhook endpoint yet");
      const res = await fetch(url, {
        method: "POST",
        body: d.payload,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          "stripe-signature": signatureHeader(d.payload, secret, Math.floor(Date.now() / 1000)),
        },
        signal: AbortSignal.any([this.#aborts.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]),
      });
      await res.arrayBuffer().catch(() => undefined);
      outcome = String(res.status);
      if (res.ok) {
        await this.#store.remove(COLLECTIONS.deliveries, d.id);
        await this.#store.removeFromSet(SETS.pendingDeliveries, d.id);
        await this.#release(d, lease.epoch);
        this.#options.logger?.info(`webhook ${d.id} delivered (${outcome}, attempt ${d.attempt + 1})`);
        return;
      }
    } catch (error) {
      outcome = (error as Error).message;
    }
    await this.#release(d, lease.epoch);
    if (this.#stopped) return;
    this.#options.logger?.info(`webhook ${d.id} failed (${outcome}, attempt ${d.attempt + 1}); retrying`);
    const next = this.#later(d);
    await this.#store.put(COLLECTIONS.deliveries, d.id, next);
    this.#due.set(d.id, next);
  }

  async #release(d: Delivery, epoch: number): Promise<void> {
    await this.#store.releaseLease({ lease: `stripe:delivery:${d.id}`, epoch }, this.#owner);
  }

  /** Stops sending; what is still owed stays in the store for the next start. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#aborts.abort();
    await Promise.allSettled([...this.#inFlight]);
  }
}
