import test from "ava";
import { cardMethod, TEST_METHOD_IDS, testMethod, type StoredMethod } from "../../processor/cards.ts";
import type { ApiError } from "../../processor/errors.ts";

const now = Date.UTC(2026, 11, 1) / 1000;
const card = (number: string, more: Record<string, string> = {}) => ({ type: "card", card: { number, exp_month: "12", exp_year: "2030", cvc: "123", ...more } });
const made = (number: string, more: Record<string, string> = {}) => cardMethod("pm_1", card(number, more), now) as StoredMethod;
const refused = (number: string, more: Record<string, string> = {}) => (cardMethod("pm_1", card(number, more), now) as ApiError).error;

test("Stripe's test numbers behave as in Stripe's test mode", (t) => {
  t.deepEqual(made("4242424242424242").behaviour, { kind: "approve" });
  t.deepEqual(made("5555555555554444").behaviour, { kind: "approve" });
  t.deepEqual(made("4000000000000002").behaviour, { kind: "decline", decline: "generic_decline" });
  t.deepEqual(made("4000000000009995").behaviour, { kind: "decline", decline: "insufficient_funds" });
  t.deepEqual(made("4000000000000069").behaviour, { kind: "decline", decline: "expired_card" });
  t.deepEqual(made("4000002500003155").behaviour, { kind: "authenticate", passes: true });
  t.deepEqual(made("4000000000009235").behaviour, { kind: "authenticate", passes: false });
});

test("a method keeps brand, last four digits and expiry, and never the number or CVC", (t) => {
  const stored = made("5555 5555 5555 4444", { cvc: "987" });
  t.like(stored.method.card, { brand: "mastercard", last4: "4444", exp_month: 12, exp_year: 2030 });
  const text = JSON.stringify(stored);
  t.false(text.includes("5555555555554444"));
  t.false(/\b987\b/.test(text), "the CVC, as a token of its own (three digits turn up inside ids by chance)");
});

test("a mistyped number, a bad month, a past expiry and a short CVC are Stripe's card errors", (t) => {
  t.like(refused("4242424242424241"), { type: "card_error", code: "incorrect_number" });
  t.like(refused("4242"), { code: "incorrect_number" });
  t.like(refused("4242424242424242", { exp_month: "13" }), { code: "invalid_expiry_month", param: "exp_month" });
  t.like(refused("4242424242424242", { exp_year: "2025" }), { code: "invalid_expiry_year", param: "exp_year" });
  t.like(refused("4242424242424242", { exp_month: "11", exp_year: "2026" }), { code: "invalid_expiry_month" });
  t.like(refused("4242424242424242", { exp_year: "2999" }), { code: "invalid_expiry_year" });
  t.like(refused("4242424242424242", { cvc: "12" }), { code: "invalid_cvc" });
  t.like(refused("378282246310005", { cvc: "123" }), { code: "invalid_cvc" });
});

test("a card good through this month may still be used; two-digit years are this century", (t) => {
  t.like(made("4242424242424242", { exp_month: "12", exp_year: "26" }).method.card, { exp_year: 2026 });
});

test("a request without a card or of another type is an invalid request", (t) => {
  t.like((cardMethod("pm_1", { type: "card" }, now) as ApiError).error, { type: "invalid_request_error", code: "parameter_missing", param: "card" });
  t.like((cardMethod("pm_1", { type: "sepa_debit" }, now) as ApiError).error, { param: "type" });
});

test("every well-known test id resolves to a card that has not expired", (t) => {
  for (const id of TEST_METHOD_IDS) {
    const method = testMethod(id, now)!;
    t.is(method.method.id, id);
    t.true(method.method.card.exp_year > 2026, id);
  }
  t.is(testMethod("pm_card_unknown", now), undefined);
  t.is(testMethod("toString", now), undefined);
  t.deepEqual(testMethod("pm_card_authenticationRequiredChallengeFails", now)!.behaviour, { kind: "authenticate", passes: false });
});
