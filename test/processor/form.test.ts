import test from "ava";
import { decodeForm } from "../../processor/form.ts";

test("bracketed keys decode into nested objects and indexed keys into arrays, as the SDK encodes them", (t) => {
  const decoded = decodeForm("amount=1200&metadata[booking]=b%201&card[exp_month]=12&expand[0]=latest_charge&expand[1]=payment_method&payment_method_types[]=card");
  t.deepEqual(decoded, {
    ok: true,
    params: { amount: "1200", metadata: { booking: "b 1" }, card: { exp_month: "12" }, expand: ["latest_charge", "payment_method"], payment_method_types: ["card"] },
  });
});

test("percent-encoded brackets decode like plain ones", (t) => {
  t.deepEqual(decodeForm("metadata%5Bbooking%5D=b1"), { ok: true, params: { metadata: { booking: "b1" } } });
});

test("a key given twice, or used both as a value and as an object, is refused and named", (t) => {
  t.deepEqual(decodeForm("amount=1&amount=2"), { ok: false, param: "amount" });
  t.deepEqual(decodeForm("metadata=x&metadata[a]=b"), { ok: false, param: "metadata[a]" });
  t.deepEqual(decodeForm("a]b=1"), { ok: false, param: "a]b" });
});

test("a key named like an Object property stays plain data", (t) => {
  const decoded = decodeForm("metadata[__proto__]=x&metadata[constructor]=y");
  t.true(decoded.ok);
  if (decoded.ok) t.is(JSON.stringify(decoded.params), '{"metadata":{"__proto__":"x","constructor":"y"}}');
  t.is(({} as Record<string, unknown>).x, undefined);
});
