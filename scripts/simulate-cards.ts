// The cards a simulated crowd pays with, and how each customer meets a 3-D Secure challenge.
// Stripe's published test numbers (the local processor and Stripe's test mode both honour them),
// and for the direct path the matching test PaymentMethod ids. Each customer's card and challenge
// answer come from their own seeded generator, so a run's payment outcomes follow from the seed
// alone, whoever wins which seats in which order.

export type CardKind = "ok" | "declined" | "insufficient" | "3ds" | "3ds-fail";
export const CARD_KINDS: readonly CardKind[] = ["ok", "declined", "insufficient", "3ds", "3ds-fail"];

export interface TestCard {
  number: string;
  /** The test PaymentMethod id the direct path pays with instead. */
  paymentMethod: string;
}

export const TEST_CARDS: Record<CardKind, TestCard> = {
  ok: { number: "4242424242424242", paymentMethod: "pm_card_visa" },
  declined: { number: "4000000000000002", paymentMethod: "pm_card_chargeDeclined" },
  insufficient: { number: "4000000000009995", paymentMethod: "pm_card_chargeDeclinedInsufficientFunds" },
  "3ds": { number: "4000002500003155", paymentMethod: "pm_card_authenticationRequired" },
  // Stripe has no id for this card; the local processor names it after its neighbour.
  "3ds-fail": { number: "4000000000009235", paymentMethod: "pm_card_authenticationRequiredChallengeFails" },
};

/** Relative weights of each card among paying customers. */
export type CardMix = Record<CardKind, number>;

/** Mostly good cards, with enough of every failure that a few hundred customers meet each. */
export const DEFAULT_CARD_MIX: CardMix = { ok: 70, declined: 8, insufficient: 7, "3ds": 10, "3ds-fail": 5 };

/** What a customer does on the 3-D Secure page: press Complete, press Fail, or close it. */
export type ChallengeAnswer = "complete" | "fail" | "abandon";

export interface PaymentPlan { card: CardKind; challenge: ChallengeAnswer }

export interface PlanOptions {
  mix: CardMix;
  /** Share of challenged customers who press Fail. */
  challengeFail: number;
  /** Share of challenged customers who walk away from the challenge. */
  challengeAbandon: number;
}

/** `ok=70,declined=8,3ds=10`: named weights; unnamed cards weigh 0. */
export function parseCardMix(text: string): CardMix {
  const mix: CardMix = { ok: 0, declined: 0, insufficient: 0, "3ds": 0, "3ds-fail": 0 };
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z0-9-]+)=(\d+(?:\.\d+)?)$/.exec(part);
    if (!m || !(CARD_KINDS as readonly string[]).includes(m[1]!)) throw new Error(`--cards takes kind=weight pairs of ${CARD_KINDS.join(", ")} (got ${part})`);
    mix[m[1] as CardKind] = Number(m[2]);
  }
  checkMix(mix);
  return mix;
}

export function checkMix(mix: CardMix): void {
  if (!CARD_KINDS.some((k) => mix[k] > 0) || CARD_KINDS.some((k) => !(mix[k] >= 0))) throw new Error(`the card mix needs non-negative weights and one above 0 (got ${JSON.stringify(mix)})`);
}

export const formatCardMix = (mix: CardMix): string => CARD_KINDS.filter((k) => mix[k] > 0).map((k) => `${k}=${mix[k]}`).join(",");

/** One customer's card and challenge answer, drawn from `rng` (two draws). */
export function planPayment(rng: () => number, options: PlanOptions): PaymentPlan {
  const total = CARD_KINDS.reduce((s, k) => s + options.mix[k], 0);
  let draw = rng() * total;
  const card = CARD_KINDS.find((k) => (draw -= options.mix[k]) < 0) ?? CARD_KINDS.findLast((k) => options.mix[k] > 0)!;
  const answer = rng();
  const challenge = answer < options.challengeAbandon ? "abandon" : answer < options.challengeAbandon + options.challengeFail ? "fail" : "complete";
  return { card, challenge };
}

/** The form the hosted card page posts to the processor's POST /v1/payment_methods. */
export function cardForm(card: CardKind, now: Date): URLSearchParams {
  return new URLSearchParams({
    type: "card", "card[number]": TEST_CARDS[card].number, "card[exp_month]": "12", "card[exp_year]": String(now.getUTCFullYear() + 3), "card[cvc]": "123",
  });
}
