import test from "ava";
import { brandOf, cardProblem, luhnValid, processorDecline } from "../../../domain/payment/card.ts";

const now = Date.UTC(2026, 10, 25);
const visa = { number: "4242 4242 4242 4242", expMonth: 12, expYear: 2030, cvc: "123" };

test("Luhn accepts real test numbers and rejects a single mistyped digit", (t) => {
  for (const n of ["4242424242424242", "5555555555554444", "378282246310005", "4000000000000002"]) t.true(luhnValid(n), n);
  t.false(luhnValid("4242424242424241"));
  t.false(luhnValid("42424242"));
  t.false(luhnValid("4242a24242424242"));
});

test("brands are recognised from the number", (t) => {
  t.is(brandOf("4242424242424242"), "visa");
  t.is(brandOf("5555555555554444"), "mastercard");
  t.is(brandOf("2223003122003222"), "mastercard");
  t.is(brandOf("378282246310005"), "amex");
});

test("a valid card with spaces in its number may be charged", (t) => {
  t.is(cardProblem(visa, now), undefined);
});

const problems: [string, Partial<typeof visa>, string][] = [
  ["a number failing Luhn", { number: "4242424242424241" }, "INVALID_CARD_NUMBER"],
  ["month 13", { expMonth: 13 }, "INVALID_EXPIRY"],
  ["last month", { expMonth: 10, expYear: 2026 }, "CARD_EXPIRED"],
  ["a two-digit CVC", { cvc: "12" }, "INVALID_CVC"],
  ["a 3-digit CVC on Amex", { number: "378282246310005", cvc: "123" }, "INVALID_CVC"],
];
for (const [what, change, type] of problems) {
  test(`a card with ${what} is refused before any charge as ${type}`, (t) => {
    t.is(cardProblem({ ...visa, ...change }, now)?.type as string | undefined, type);
  });
}

test("a card is good through the last day of its expiry month", (t) => {
  t.is(cardProblem({ ...visa, expMonth: 11, expYear: 2026 }, now), undefined);
  t.is(cardProblem({ ...visa, expMonth: 11, expYear: 26 }, now), undefined);
});

test("the documented declining test cards are declined with their reason; others succeed", (t) => {
  t.is(processorDecline("4000000000000002"), "card_declined");
  t.is(processorDecline("4000000000009995"), "insufficient_funds");
  t.is(processorDecline("4242424242424242"), undefined);
});
