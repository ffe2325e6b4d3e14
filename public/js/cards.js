// The simulated processor's test cards (README "Test cards"), listed on the payment form.
import { h } from "./dom.js";

export const TEST_CARDS = [
  { number: "4242 4242 4242 4242", outcome: "Succeeds (Visa)" },
  { number: "5555 5555 5555 4444", outcome: "Succeeds (Mastercard)" },
  { number: "3782 822463 10005", outcome: "Succeeds (Amex, 4-digit CVC)", amex: true },
  { number: "4000 0000 0000 0002", outcome: "Declined: card_declined" },
  { number: "4000 0000 0000 9995", outcome: "Declined: insufficient_funds" },
  { number: "4000 0000 0000 0069", outcome: "Declined: expired_card" },
  { number: "4000 0000 0000 0127", outcome: "Declined: incorrect_cvc" },
  { number: "4000 0000 0000 0119", outcome: "Declined: processing_error" },
];

/** A table of test cards; `use(card)` fills the form with one. */
export function testCardsTable(use) {
  return h("details", { class: "test-cards", open: true, "data-testid": "test-cards" },
    h("summary", null, "Test cards (no real money moves)"),
    h("p", { class: "hint" }, "Any future expiry date and any 3-digit security code (4 digits for Amex). Any other number that passes the Luhn check succeeds."),
    h("table", null,
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "Card number"), h("th", { scope: "col" }, "Outcome"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Action")))),
      h("tbody", null, TEST_CARDS.map((card) => h("tr", null,
        h("td", null, h("code", null, card.number)),
        h("td", null, card.outcome),
        h("td", null, h("button", { type: "button", class: "button button--small button--quiet", "aria-label": `Use test card ${card.number}`, onclick: () => use(card) }, "Use")))))));
}
