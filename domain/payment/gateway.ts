// The payment gateway port: what Marquee asks of a card processor, in its own words. Card data
// never crosses it: the customer gives their card to the processor's hosted page, which makes a
// payment method there, and Marquee only ever handles that method's id and the brand and last
// 4 digits the processor reports. Every call is keyed by an id the show's actor recorded first
// (the attempt, the refund), so asking twice never moves money twice.
import type { PaymentOutcome } from "../show/types.ts";

/** One payment attempt, exactly as its show recorded it before the processor was called. */
export interface AttemptRef {
  attemptId: string;
  showId: string;
  bookingId: string;
  userId: string;
  amount: number;
  currency: string;
  /** The processor's payment, once it is known (asking by attempt finds it otherwise). */
  paymentId?: string;
}

export interface RefundRef {
  refundId: string;
  showId: string;
  bookingId: string;
  /** The payment the money goes back to. */
  paymentId: string;
  amount: number;
  currency: string;
  reason: string;
  /** The processor's id for the refund, once it accepted it. */
  processorId?: string;
}

/** Where a refund stands at the processor. */
export interface RefundOutcome { status: "pending" | "succeeded" | "failed"; processorId?: string }

/** What a processor's event (a webhook) says happened, for the show that owns it. */
export type GatewayUpdate =
  | { kind: "payment"; showId: string; bookingId: string; attemptId: string; outcome: PaymentOutcome }
  | { kind: "refund"; showId: string; bookingId: string; refundId: string; outcome: RefundOutcome };

export interface GatewayEvent { id: string; type: string; updates: GatewayUpdate[] }

export interface PaymentGateway {
  /**
   * Charges an attempt with a payment method the customer made at the processor. A retry of
   * the same attempt finds the first one's payment; it never charges twice.
   * Throws PaymentOutcomeUnknown when the processor could not be heard (the reconciler settles it).
   */
  pay(attempt: AttemptRef, paymentMethod: string, returnUrl: string): Promise<PaymentOutcome>;

  /**
   * What became of an attempt. One that has not begun charging is voided, so it can never take
   * money later; one waiting for the customer to authenticate is voided only once `customerTimeUp`
   * (else its challenge is reported again). Undefined: the processor is still deciding.
   */
  settle(attempt: AttemptRef, customerTimeUp: boolean): Promise<PaymentOutcome | undefined>;

  /** Issues a refund (once per refund id); `failed` when the processor refuses it for good. */
  refund(refund: RefundRef): Promise<RefundOutcome>;

  /** Where a refund stands now. */
  refundStatus(refund: RefundRef): Promise<RefundOutcome>;

  /** A webhook's body, verified against its signature (else WebhookRejected), as updates. */
  event(payload: string, signature: string): Promise<GatewayEvent>;

  /** What a browser needs to make a payment method at the processor (never a secret). */
  readonly checkout: { provider: string; publishableKey: string; pageUrl?: string };
}

/** The processor could not be heard: the money may or may not have moved. */
export class PaymentOutcomeUnknown extends Error {
  constructor(cause: unknown) {
    super(`the payment processor did not answer: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = "PaymentOutcomeUnknown";
  }
}

/** A webhook whose signature does not check out (forged, altered or too old). */
export class WebhookRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookRejected";
  }
}
