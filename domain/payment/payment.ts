// A payment and its refunds. Amounts are integer minor units; refunds can never exceed what
// was captured. Only the card's brand, last 4 digits and expiry are ever kept.
import { brandOf, DECLINE_MESSAGES, digitsOf, processorDecline, type CardInput, type Decline } from "./card.ts";

export interface StoredCard { brand: string; last4: string; expMonth: number; expYear: number }

export interface Refund { id: string; amount: number; currency: string; status: "succeeded"; reason: string; createdAt: string }

export interface Payment {
  id: string;
  bookingId: string;
  userId: string;
  amount: number;
  currency: string;
  status: "succeeded" | "failed";
  failureCode?: Decline;
  failureMessage?: string;
  card: StoredCard;
  refunds: Refund[];
  amountRefunded: number;
  createdAt: string;
}

export const storedCard = (card: CardInput): StoredCard => {
  const digits = digitsOf(card.number);
  return { brand: brandOf(digits), last4: digits.slice(-4), expMonth: card.expMonth, expYear: card.expYear };
};

export function charge(input: { id: string; bookingId: string; userId: string; amount: number; currency: string; card: CardInput }, now: number): Payment {
  const decline = processorDecline(digitsOf(input.card.number));
  return {
    id: input.id, bookingId: input.bookingId, userId: input.userId, amount: input.amount, currency: input.currency,
    status: decline ? "failed" : "succeeded",
    ...(decline ? { failureCode: decline, failureMessage: DECLINE_MESSAGES[decline] } : {}),
    card: storedCard(input.card), refunds: [], amountRefunded: 0, createdAt: new Date(now).toISOString(),
  };
}

export type RefundProblem = { type: "PAYMENT_NOT_CAPTURED" | "REFUND_EXCEEDS_PAYMENT" | "INVALID_REFUND_AMOUNT"; message: string };

/** The payment after refunding `amount` (all that is left when omitted), or why it cannot be. */
export function refund(payment: Payment, input: { id: string; amount?: number; reason: string }, now: number): { payment: Payment; refund: Refund } | RefundProblem {
  if (payment.status !== "succeeded") return { type: "PAYMENT_NOT_CAPTURED", message: `Payment ${payment.id} took no money, so there is nothing to refund` };
  const left = payment.amount - payment.amountRefunded;
  const amount = input.amount ?? left;
  if (!Number.isInteger(amount) || amount <= 0) return { type: "INVALID_REFUND_AMOUNT", message: "A refund must be a positive whole number of minor units" };
  if (amount > left) return { type: "REFUND_EXCEEDS_PAYMENT", message: `Only ${left} ${payment.currency} minor units remain refundable on payment ${payment.id}` };
  const created: Refund = { id: input.id, amount, currency: payment.currency, status: "succeeded", reason: input.reason, createdAt: new Date(now).toISOString() };
  return { payment: { ...payment, refunds: [...payment.refunds, created], amountRefunded: payment.amountRefunded + amount }, refund: created };
}
