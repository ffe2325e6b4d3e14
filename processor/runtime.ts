// What the handlers share at run time: the ledger, the fault plan and its seeded draws, event
// sending, and the timers that settle refunds. Built by startProcessor, one per instance.
import { createHmac, randomBytes } from "node:crypto";
import { testMethod, type StoredMethod } from "./cards.ts";
import { notFound, type ApiError } from "./errors.ts";
import { eventOf } from "./events.ts";
import { seeded, type FaultPlan } from "./faults.ts";
import type { Context, EventDraft, PaymentRecord } from "./intents.ts";
import { SETS, type Change, type Ledger } from "./ledger.ts";
import { settleRefunds } from "./refunds.ts";
import type { Logger, Webhooks } from "./webhooks.ts";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Stripe-like ids: a prefix and 24 random base62 characters. */
export function newId(prefix: string): string {
  const bytes = randomBytes(24);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % 62];
  return `${prefix}_${out}`;
}

export interface RequestInfo { id: string | null; idempotencyKey: string | null }

/**
 * Ids that follow from a request's Idempotency-Key (keyed by a secret, so nobody can guess them):
 * a request run again under its key, because its first answer could not be kept (the store
 * failed after the change was made), makes the same payment or refund again, which the ledger
 * then finds, instead of a second one.
 */
export function keyedIds(secret: string, key: string): (prefix: string) => string {
  // One id per prefix: a change retried after losing a race asks again and must get the same.
  return (prefix) => {
    const digest = createHmac("sha256", secret).update(`${key}\n${prefix}`).digest();
    let out = "";
    for (let i = 0; i < 24; i++) out += ALPHABET[digest[i]! % 62];
    return `${prefix}_${out}`;
  };
}

export class Runtime {
  readonly ledger: Ledger;
  readonly publicUrl: string;
  readonly logger?: Logger;
  webhooks?: Webhooks;
  #faults: FaultPlan;
  #draw: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  readonly #idSecret: string;

  constructor(ledger: Ledger, publicUrl: string, faults: FaultPlan, logger?: Logger, idSecret = randomBytes(32).toString("hex")) {
    this.#idSecret = idSecret;
    this.ledger = ledger;
    this.publicUrl = publicUrl;
    this.logger = logger;
    this.#faults = faults;
    this.#draw = seeded(faults.seed);
  }

  get faults(): FaultPlan {
    return this.#faults;
  }

  /** A new plan starts its draws afresh from its seed, so a test gets the same sequence each run. */
  set faults(plan: FaultPlan) {
    this.#faults = plan;
    this.#draw = seeded(plan.seed);
  }

  readonly draw = (): number => this.#draw();

  /** With the request's Idempotency-Key, the ids it makes follow from the key (see keyedIds). */
  context(request?: RequestInfo): Context {
    const ids = request?.idempotencyKey ? keyedIds(this.#idSecret, request.idempotencyKey) : newId;
    return { now: Math.floor(Date.now() / 1000), newId: ids, publicUrl: this.publicUrl };
  }

  /** A payment method by id: one of the test ids, or one created here. */
  async method(id: string, param = "payment_method"): Promise<StoredMethod | ApiError> {
    const found = testMethod(id, Math.floor(Date.now() / 1000)) ?? (await this.ledger.method(id));
    if (found) return found;
    return { ...notFound("PaymentMethod", id, param), status: param === "id" ? 404 : 400 };
  }

  async emit(drafts: EventDraft[], request: RequestInfo): Promise<void> {
    if (!this.webhooks || drafts.length === 0) return;
    const created = Math.floor(Date.now() / 1000);
    await this.webhooks.send(drafts.map((d) => eventOf(d, newId("evt"), created, request)));
  }

  /** Commits what a change decided and sends its events. */
  async after(change: Change, request: RequestInfo): Promise<void> {
    if ("committed" in change) await this.emit(change.committed.events, request);
  }

  /** The latest record, with any refund that is due settled first (so a read never sees it pending late). */
  async current(id: string): Promise<PaymentRecord | undefined> {
    const change = await this.ledger.change(id, (r) => settleRefunds(r, Date.now()));
    await this.after(change, { id: null, idempotencyKey: null });
    if ("committed" in change) return change.committed.record;
    return "unchanged" in change ? change.unchanged : undefined;
  }

  /** Settles a payment's pending refunds when they fall due, even if nobody reads them. */
  settleLater(intentId: string, at: number): void {
    if (this.#stopped) return;
    const timer = setTimeout(async () => {
      this.#timers.delete(timer);
      try {
        const record = await this.current(intentId);
        const next = record && Math.min(...Object.values(record.settlements));
        if (next !== undefined && Number.isFinite(next)) this.settleLater(intentId, next);
        else await this.ledger.store.removeFromSet(SETS.pendingRefunds, intentId);
      } catch (error) {
        this.logger?.warn(`refund settlement of ${intentId}: ${(error as Error).message}; retrying`);
        this.settleLater(intentId, Date.now() + 1_000);
      }
    }, Math.max(0, at - Date.now()));
    this.#timers.add(timer);
  }

  /** Resumes the settlements a previous process left pending. */
  async resume(): Promise<void> {
    for (const id of await this.ledger.store.members(SETS.pendingRefunds)) this.settleLater(id, Date.now());
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
