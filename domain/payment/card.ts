// Card rules of the simulated processor: number normalisation, Luhn, brand, expiry, CVC shape,
// and the documented test cards. Pure: the current time is a parameter.

export interface CardInput { number: string; expMonth: number; expYear: number; cvc: string }
export interface CardProblem { type: "INVALID_CARD_NUMBER" | "INVALID_EXPIRY" | "CARD_EXPIRED" | "INVALID_CVC"; message: string }
export type Decline = "card_declined" | "insufficient_funds" | "expired_card" | "incorrect_cvc" | "processing_error";

/** Test numbers that the simulated processor declines, and why (the same ones Stripe documents). */
export const DECLINING_CARDS: Record<string, Decline> = {
  "4000000000000002": "card_declined",
  "4000000000009995": "insufficient_funds",
  "4000000000000069": "expired_card",
  "4000000000000127": "incorrect_cvc",
  "4000000000000119": "processing_error",
};

export const DECLINE_MESSAGES: Record<Decline, string> = {
  card_declined: "The card was declined; try another card",
  insufficient_funds: "The card has insufficient funds; try another card",
  expired_card: "The card has expired; try another card",
  incorrect_cvc: "The card's security code is incorrect; check it and try again",
  processing_error: "The card could not be processed; try again in a moment",
};

/** Customers type spaces and dashes; the digits are what matter. */
export const digitsOf = (number: string): string => number.replace(/[\s-]/g, "");

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

export function brandOf(digits: string): string {
  if (/^4/.test(digits)) return "visa";
  if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return "mastercard";
  if (/^3[47]/.test(digits)) return "amex";
  if (/^(6011|65|64[4-9])/.test(digits)) return "discover";
  if (/^(60|65|81|82|508)/.test(digits)) return "rupay";
  return "unknown";
}

/** What is wrong with a card before it reaches the processor, or undefined when it may be charged. */
export function cardProblem(card: CardInput, now: number): CardProblem | undefined {
  const digits = digitsOf(card.number);
  if (!luhnValid(digits)) return { type: "INVALID_CARD_NUMBER", message: "The card number is not valid; check the digits" };
  if (!Number.isInteger(card.expMonth) || card.expMonth < 1 || card.expMonth > 12) return { type: "INVALID_EXPIRY", message: "The expiry month must be 1-12" };
  const year = card.expYear < 100 ? 2000 + card.expYear : card.expYear;
  if (!Number.isInteger(year) || year > 2200) return { type: "INVALID_EXPIRY", message: "The expiry year is not valid" };
  const today = new Date(now);
  // A card is good through the last day of its expiry month.
  if (year * 12 + card.expMonth < today.getUTCFullYear() * 12 + today.getUTCMonth() + 1) return { type: "CARD_EXPIRED", message: "The card has expired; use another card" };
  const cvcLength = brandOf(digits) === "amex" ? 4 : 3;
  if (!new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) return { type: "INVALID_CVC", message: `The security code must be ${cvcLength} digits` };
  return undefined;
}

/** The simulated processor's answer for a valid card. */
export const processorDecline = (digits: string): Decline | undefined => DECLINING_CARDS[digits];
