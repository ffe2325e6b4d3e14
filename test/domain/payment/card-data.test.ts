import test from "ava";
import { cardDataIn, looksLikeCardNumber } from "../../../domain/payment/card-data.ts";

test("a card number is found wherever a request carries it, and named only by where it was", (t) => {
  t.is(cardDataIn({ card: { number: "4242424242424242", cvc: "123" } }), "card");
  t.is(cardDataIn({ paymentMethod: "4242 4242 4242 4242" }), "paymentMethod");
  t.is(cardDataIn({ notes: ["hi", { text: "5555-5555-5555-4444" }] }), "notes[1].text");
  t.is(cardDataIn({ cvc: "123" }), "cvc");
  t.is(cardDataIn({ n: 4242424242424242 }), "n");
});

test("a payment method id and ordinary values are not card data", (t) => {
  t.is(cardDataIn({ paymentMethod: "pm_card_visa", returnUrl: "http://localhost:3000/#/bookings/b1" }), undefined);
  t.is(cardDataIn({ bookingId: "bkg_1234567890123456.show1", phone: "+91 98765 43210" }), undefined);
  t.is(cardDataIn({ card: "" }), undefined);
});

test("only Luhn-valid 12-19 digit strings count as card numbers", (t) => {
  t.true(looksLikeCardNumber("4000002500003155"));
  t.false(looksLikeCardNumber("4242424242424241"));
  t.false(looksLikeCardNumber("12345"));
});

test("a body nested thousands of levels deep is walked without running out of stack", (t) => {
  let deep: unknown = "4242424242424242";
  for (let i = 0; i < 20_000; i++) deep = [deep];
  t.is(cardDataIn({ notes: deep })?.slice(0, 12), "notes[0][0][");
});
