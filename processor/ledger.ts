// Payments behind the store port, changed by optimistic concurrency: every change of a payment
// is written as its next version with putIfAbsent, so of two changes racing from the same
// version (a confirm and a cancel, on one processor or two sharing Redis) exactly one is
// committed; the other rereads and decides again against what won. The current document is a
// cache of the latest version: a reader also probes the versions after it, so a writer that
// died between its two writes leaves nothing stale behind.
import type { Store } from "../infra/store.ts";
import type { StoredMethod } from "./cards.ts";
import type { ApiError } from "./errors.ts";
import type { PaymentRecord, Step } from "./intents.ts";
import { isError } from "./params.ts";

export const COLLECTIONS = {
  intents: "stripe:payment_intents",
  versions: "stripe:payment_intent_versions",
  methods: "stripe:payment_methods",
  refunds: "stripe:refunds",
  idempotency: "stripe:idempotency_keys",
  deliveries: "stripe:webhook_deliveries",
} as const;

export const SETS = {
  pendingDeliveries: "stripe:webhook_pending",
  pendingRefunds: "stripe:refunds_pending",
} as const;

/** The outcome of a change: what was committed (with its events and error), or why nothing was. */
export type Change = { committed: Step } | { refused: ApiError } | { unchanged: PaymentRecord } | { missing: true };

export class Ledger {
  readonly store: Store;
  constructor(store: Store) {
    this.store = store;
  }

  async load(id: string): Promise<PaymentRecord | undefined> {
    // The first version stands in for a current document its writer never got to write.
    let record = (await this.store.get<PaymentRecord>(COLLECTIONS.intents, id)) ?? (await this.store.get<PaymentRecord>(COLLECTIONS.versions, `${id}:1`));
    if (!record) return undefined;
    for (;;) {
      const later: PaymentRecord | undefined = await this.store.get<PaymentRecord>(COLLECTIONS.versions, `${id}:${record.version + 1}`);
      if (!later) return record;
      record = later;
    }
  }

  async #commit(record: PaymentRecord): Promise<boolean> {
    if (!(await this.store.putIfAbsent(COLLECTIONS.versions, `${record.intent.id}:${record.version}`, record))) return false;
    await this.store.put(COLLECTIONS.intents, record.intent.id, record);
    return true;
  }

  /** Records a new payment (version 1); false when it exists (made before under the same Idempotency-Key). */
  async open(record: PaymentRecord): Promise<boolean> {
    return this.#commit(record);
  }

  /**
   * Applies `decide` to the latest version until its result is committed. `decide` returns a
   * step to commit, an error to refuse with, or undefined when there is nothing to change.
   */
  async change(id: string, decide: (record: PaymentRecord) => Step | ApiError | undefined): Promise<Change> {
    for (;;) {
      const record = await this.load(id);
      if (!record) return { missing: true };
      const step = decide(record);
      if (step === undefined) return { unchanged: record };
      if (isError(step)) return { refused: step };
      if (await this.#commit(step.record)) return { committed: step };
    }
  }

  async method(id: string): Promise<StoredMethod | undefined> {
    return this.store.get<StoredMethod>(COLLECTIONS.methods, id);
  }

  async saveMethod(stored: StoredMethod): Promise<void> {
    await this.store.put(COLLECTIONS.methods, stored.method.id, stored);
  }

  /** The payment a refund belongs to. */
  async refundOwner(refundId: string): Promise<string | undefined> {
    return this.store.get<string>(COLLECTIONS.refunds, refundId);
  }

  async indexRefund(refundId: string, intentId: string): Promise<void> {
    await this.store.put(COLLECTIONS.refunds, refundId, intentId);
    await this.store.addToSet(SETS.pendingRefunds, intentId);
  }
}
