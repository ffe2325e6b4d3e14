// Stripe's objects in Marquee's words: a PaymentIntent becomes an attempt's outcome, a Refund
// a refund's. Pure, so every status Stripe documents is covered by a unit test.
import type Stripe from "stripe";
import type { PaymentOutcome } from "../../domain/show/types.ts";
import type { RefundOutcome } from "../../domain/payment/gateway.ts";

export type Card = { brand: string; last4: string };

export const ABANDONED = { code: "abandoned", message: "The payment was abandoned before the card was charged" } as const;

/** The outcome an intent has reached, or undefined while it has none (not confirmed yet, or processing). */
export function outcomeOfIntent(intent: Stripe.PaymentIntent, card: Card | undefined): PaymentOutcome | undefined {
  const withCard = card ? { card } : {};
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded", paymentId: intent.id, card: card ?? { brand: "unknown", last4: "" } };
    case "requires_action": {
      const url = intent.next_action?.redirect_to_url?.url;
      return url ? { status: "requires_action", paymentId: intent.id, url, ...withCard } : undefined;
    }
    case "canceled":
      return { status: "failed", paymentId: intent.id, ...ABANDONED, ...withCard };
    case "requires_payment_method": {
      // A confirmed intent the card refused comes back here with the reason; a fresh one has none.
      const error = intent.last_payment_error;
      if (!error) return undefined;
      return { status: "failed", paymentId: intent.id, code: failureCode(error), message: error.message ?? "The card was declined", ...withCard };
    }
    default:
      return undefined;
  }
}

/** The most telling of Stripe's codes: a specific decline reason, else the error's own code. */
export const failureCode = (error: { code?: string; decline_code?: string }): string =>
  (error.decline_code && error.decline_code !== "generic_decline" ? error.decline_code : error.code) ?? "card_declined";

/** An intent nobody is paying any more can be cancelled: it has not begun taking money. */
export const cancellable = (intent: Stripe.PaymentIntent): boolean =>
  intent.status === "requires_payment_method" || intent.status === "requires_confirmation" || intent.status === "requires_action";

export function outcomeOfRefund(refund: Stripe.Refund): RefundOutcome {
  const status = refund.status === "succeeded" ? "succeeded" : refund.status === "failed" || refund.status === "canceled" ? "failed" : "pending";
  return { status, processorId: refund.id };
}

export const cardOf = (method: Stripe.PaymentMethod | undefined): Card | undefined =>
  method?.card ? { brand: method.card.brand, last4: method.card.last4 } : undefined;
