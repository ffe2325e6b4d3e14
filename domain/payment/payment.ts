// A payment and its refunds. Amounts are integer minor units; refunds can never exceed what
// was captured. Only the card's brand, last 4 digits and expiry are ever kept.
import type { PaymentOutcome } from "../show/types.ts";
import { brandOf, DECLINE_MESSAGES, digitsOf, processorDecline, type CardInput, type Decline } from "./card.ts";

export interface StoredCard { brand: string; last4: string; expMonth: number; expYear: number }

export interface Refund {
  id: string;
  paymentId: string;
  amount: number;
  currency: string;
  /** pending: accepted by the processor, money on its way back; settles by `settlesAt`. */
  status: "pending" | "succeeded";
  reason: string;
  createdAt: string;
  settlesAt?: string;
}

/**
 * What the processor knows of one attempt. `canceled`: the attempt never reached the processor
 * before the reconciler asked about it, so it was voided and can never take money later.
 */
export interface Payment {
  id: string;
  attemptId: string;
  bookingId: string;
  userId: string;
  amount: number;
  currency: string;
  status: "succeeded" | "failed" | "canceled";
  failureCode?: Decline | "abandoned";
  failureMessage?: string;
  card?: StoredCard;
  createdAt: string;
}

export const storedCard = (card: CardInput): StoredCard => {
  const digits = digitsOf(card.number);
  return { brand: brandOf(digits), last4: digits.slice(-4), expMonth: card.expMonth, expYear: card.expYear };
};

// A payment's id follows from its attempt's, so asking the processor about an attempt is one
// read, and an attempt can never become two payments.
export const paymentIdOf = (attemptId: string): string => `pay_${attemptId.replace(/^att_/, "")}`;

export function charge(input: { attemptId: string; bookingId: string; userId: string; amount: number; currency: string; card: CardInput }, now: number): Payment {
  const decline = processorDecline(digitsOf(input.card.number));
  return {
    id: paymentIdOf(input.attemptId), attemptId: input.attemptId, bookingId: input.bookingId, userId: input.userId, amount: input.amount, currency: input.currency,
    status: decline ? "failed" : "succeeded",
    ...(decline ? { failureCode: decline, failureMessage: DECLINE_MESSAGES[decline] } : {}),
    card: storedCard(input.card), createdAt: new Date(now).toISOString(),
  };
}

/** The record of an attempt the processor never charged: asked about before (or instead of) its charge. */
export const voided = (attemptId: string, now: number): Payment => ({
  id: paymentIdOf(attemptId), attemptId, bookingId: "", userId: "", amount: 0, currency: "", status: "canceled",
  failureCode: "abandoned", failureMessage: "The payment was abandoned before the card was charged", createdAt: new Date(now).toISOString(),
});

export type RefundProblem = { type: "PAYMENT_NOT_CAPTURED" | "REFUND_EXCEEDS_PAYMENT" | "INVALID_REFUND_AMOUNT"; message: string };

/** A refund of `amount` (all that is left when omitted) on a payment that has `refunded` back already, or why it cannot be. */
export function refund(
  payment: Payment, refunded: number, input: { id: string; amount?: number; reason: string }, now: number, settleMs = 0,
): Refund | RefundProblem {
  if (payment.status !== "succeeded") return { type: "PAYMENT_NOT_CAPTURED", message: `Payment ${payment.id} took no money, so there is nothing to refund` };
  const left = payment.amount - refunded;
  const amount = input.amount ?? left;
  if (!Number.isInteger(amount) || amount <= 0) return { type: "INVALID_REFUND_AMOUNT", message: "A refund must be a positive whole number of minor units" };
  if (amount > left) return { type: "REFUND_EXCEEDS_PAYMENT", message: `Only ${left} ${payment.currency} minor units remain refundable on payment ${payment.id}` };
  return {
    id: input.id, paymentId: payment.id, amount, currency: payment.currency, reason: input.reason, createdAt: new Date(now).toISOString(),
    ...(settleMs > 0 ? { status: "pending", settlesAt: new Date(now + settleMs).toISOString() } : { status: "succeeded" }),
  };
}

/** A pending refund as it stands at `now`: it has settled once its time has come. */
export const refundNow = (r: Refund, now: number): Refund =>
  r.status === "pending" && r.settlesAt && Date.parse(r.settlesAt) <= now ? { ...r, status: "succeeded" } : r;

/** What the processor said of an attempt, as its show records it: taken, or not (declined, voided). */
export function attemptOutcome(payment: Payment): PaymentOutcome {
  const card = payment.card ? { brand: payment.card.brand, last4: payment.card.last4 } : undefined;
  if (payment.status === "succeeded") return { status: "succeeded", paymentId: payment.id, card: card ?? { brand: "unknown", last4: "" } };
  return {
    status: "failed", code: payment.failureCode ?? "failed", message: payment.failureMessage ?? "The payment failed",
    ...(payment.status === "failed" ? { paymentId: payment.id } : {}), ...(card ? { card } : {}),
  };
}
