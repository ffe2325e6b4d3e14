// Payment methods as Stripe's test mode treats them: card numbers and the well-known test
// PaymentMethod ids decide what a charge will do. The full number and CVC are read once, here,
// and never leave: a method keeps its brand, last four digits, expiry and the behaviour the
// number stands for, so nothing stored or logged can leak a card.
import { invalidParam, missingParam, type ApiError } from "./errors.ts";
import type { Params } from "./form.ts";

export type DeclineCode = "generic_decline" | "insufficient_funds" | "expired_card";

/** What confirming a payment with this method does. */
export type Behaviour =
  | { kind: "approve" }
  | { kind: "decline"; decline: DeclineCode }
  /** 3-D Secure first; `passes` false is a challenge that fails even when completed. */
  | { kind: "authenticate"; passes: boolean };

export interface CardDetails { brand: string; last4: string; exp_month: number; exp_year: number; funding: "credit"; country: "US" }

export interface PaymentMethod {
  id: string;
  object: "payment_method";
  type: "card";
  card: CardDetails;
  billing_details: { address: null; email: null; name: null; phone: null };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
}

/** A payment method as stored: Stripe's object and what a charge on it will do. */
export interface StoredMethod { method: PaymentMethod; behaviour: Behaviour }

const APPROVE: Behaviour = { kind: "approve" };

/** Stripe's documented test numbers; any other valid number is approved. */
const NUMBERS: Record<string, Behaviour> = {
  "4000000000000002": { kind: "decline", decline: "generic_decline" },
  "4000000000009995": { kind: "decline", decline: "insufficient_funds" },
  "4000000000000069": { kind: "decline", decline: "expired_card" },
  "4000002500003155": { kind: "authenticate", passes: true },
  "4000000000009235": { kind: "authenticate", passes: false },
};

/** Test method ids that resolve without being created, as in Stripe's test mode. */
const TEST_METHODS: Record<string, { brand: string; last4: string; behaviour: Behaviour }> = {
  pm_card_visa: { brand: "visa", last4: "4242", behaviour: APPROVE },
  pm_card_mastercard: { brand: "mastercard", last4: "4444", behaviour: APPROVE },
  pm_card_amex: { brand: "amex", last4: "8431", behaviour: APPROVE },
  pm_card_chargeDeclined: { brand: "visa", last4: "0002", behaviour: NUMBERS["4000000000000002"]! },
  pm_card_chargeDeclinedInsufficientFunds: { brand: "visa", last4: "9995", behaviour: NUMBERS["4000000000009995"]! },
  pm_card_chargeDeclinedExpiredCard: { brand: "visa", last4: "0069", behaviour: NUMBERS["4000000000000069"]! },
  pm_card_authenticationRequired: { brand: "visa", last4: "3155", behaviour: NUMBERS["4000002500003155"]! },
  // Not one of Stripe's ids (Stripe only has the card number): named after its neighbour.
  pm_card_authenticationRequiredChallengeFails: { brand: "visa", last4: "9235", behaviour: NUMBERS["4000000000009235"]! },
};

export const TEST_METHOD_IDS = Object.keys(TEST_METHODS);

const unset = { address: null, email: null, name: null, phone: null } as const;

function methodObject(id: string, card: Omit<CardDetails, "funding" | "country">, created: number): PaymentMethod {
  return { id, object: "payment_method", type: "card", card: { ...card, funding: "credit", country: "US" }, billing_details: unset, created, customer: null, livemode: false, metadata: {} };
}

/** A well-known test method, as of `now` (it expires a few years on, like Stripe's). */
export function testMethod(id: string, now: number): StoredMethod | undefined {
  const known = Object.hasOwn(TEST_METHODS, id) ? TEST_METHODS[id] : undefined;
  if (!known) return undefined;
  const year = new Date(now * 1000).getUTCFullYear() + 3;
  return { method: methodObject(id, { brand: known.brand, last4: known.last4, exp_month: 12, exp_year: year }, now), behaviour: known.behaviour };
}

function luhn(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((c, i) => {
    const d = Number(c) * (i % 2 === 1 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  });
  return sum % 10 === 0;
}

function brand(digits: string): string {
  if (digits.startsWith("4")) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  if (/^(6011|65)/.test(digits)) return "discover";
  return "unknown";
}

const cardError = (code: string, message: string, param: string): ApiError =>
  ({ status: 402, error: { type: "card_error", code, message, param } });

/**
 * The method a `card[...]` request creates, or Stripe's error for it: the number is checked
 * (Luhn, length), then the expiry against `now` (unix seconds), then the CVC's shape.
 */
export function cardMethod(id: string, params: Params, now: number): StoredMethod | ApiError {
  if (params.type !== "card") return params.type === undefined ? missingParam("type") : invalidParam("type", "Only type=card is supported by this processor.");
  const card = params.card;
  if (!card || typeof card !== "object" || Array.isArray(card)) return missingParam("card");
  const text = (name: string) => (typeof card[name] === "string" ? (card[name] as string) : undefined);
  const number = text("number")?.replace(/[\s-]/g, "");
  if (!number) return missingParam("card[number]");
  if (!/^\d{12,19}$/.test(number) || !luhn(number)) return cardError("incorrect_number", "Your card number is incorrect.", "number");
  const month = Number(text("exp_month"));
  if (!Number.isInteger(month) || month < 1 || month > 12) return cardError("invalid_expiry_month", "Your card's expiration month is invalid.", "exp_month");
  const rawYear = Number(text("exp_year"));
  const year = rawYear < 100 ? 2000 + rawYear : rawYear;
  const today = new Date(now * 1000);
  if (!Number.isInteger(year) || year > today.getUTCFullYear() + 50) return cardError("invalid_expiry_year", "Your card's expiration year is invalid.", "exp_year");
  // A card is good through the last day of its expiry month.
  if (year * 12 + month < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1) {
    return cardError(year < today.getUTCFullYear() ? "invalid_expiry_year" : "invalid_expiry_month", "Your card's expiration date is in the past.", year < today.getUTCFullYear() ? "exp_year" : "exp_month");
  }
  const cvc = text("cvc");
  const brandName = brand(number);
  if (cvc !== undefined && !new RegExp(`^\\d{${brandName === "amex" ? 4 : 3}}$`).test(cvc)) return cardError("invalid_cvc", "Your card's security code is invalid.", "cvc");
  return { method: methodObject(id, { brand: brandName, last4: number.slice(-4), exp_month: month, exp_year: year }, now), behaviour: NUMBERS[number] ?? APPROVE };
}

export const DECLINE_MESSAGES: Record<DeclineCode, string> = {
  generic_decline: "Your card was declined.",
  insufficient_funds: "Your card has insufficient funds.",
  expired_card: "Your card has expired.",
};

/** Stripe's `code` beside a decline code: an expired card has its own, the rest are card_declined. */
export const declineErrorCode = (decline: DeclineCode): string => (decline === "expired_card" ? "expired_card" : "card_declined");
