// Whatever a client sends, the answer is Stripe's error shape with a 4xx, never a 500.
import test from "ava";
import { connect } from "node:net";
import { SECRET_KEY, startTestProcessor } from "../helpers/processor.ts";

const auth = { authorization: `Bearer ${SECRET_KEY}` };

test("malformed bodies, huge bodies, broken paths and unknown routes are 4xx with Stripe's error shape", async (t) => {
  const { processor } = await startTestProcessor(t);
  const cases: [string, RequestInit, number][] = [
    ["/v1/payment_intents", { method: "POST", headers: auth, body: "amount]=1" }, 400],
    ["/v1/payment_intents", { method: "POST", headers: auth, body: "amount=1&amount=2&currency=eur" }, 400],
    ["/v1/payment_intents", { method: "POST", headers: auth, body: `amount=1&currency=eur&description=${"x".repeat(70_000)}` }, 413],
    ["/v1/payment_intents", { method: "POST", headers: auth, body: "amount[a]=1&currency=eur" }, 400],
    ["/v1/payment_intents/%E0%A4%A", { headers: auth }, 404],
    ["/v1/charges", { headers: auth }, 404],
    ["/v1/payment_intents", { method: "DELETE", headers: auth }, 404],
    ["/v1/payment_intents", { method: "POST", headers: { ...auth, "idempotency-key": "k".repeat(300) }, body: "amount=1&currency=eur" }, 400],
  ];
  for (const [path, init, status] of cases) {
    const res = await fetch(processor.url + path, init);
    t.is(res.status, status, path);
    const body = (await res.json()) as any;
    t.is(typeof body.error.message, "string", path);
    t.is(body.error.type, "invalid_request_error", path);
  }
});

test("a request line that is not a URL gets an answer, and the processor keeps serving", async (t) => {
  const { processor, stripe } = await startTestProcessor(t);
  const reply = await new Promise<string>((resolve) => {
    const socket = connect(processor.port, "127.0.0.1", () => socket.write("GET http://[ HTTP/1.1\r\nHost: x\r\n\r\n"));
    let text = "";
    socket.on("data", (d) => { text += d; socket.end(); });
    socket.on("close", () => resolve(text));
  });
  t.regex(reply, /^HTTP\/1\.1 4\d\d/);
  t.is((await stripe.paymentIntents.create({ amount: 100, currency: "eur" })).status, "requires_payment_method");
});
