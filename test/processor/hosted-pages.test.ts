// The hosted pages over HTTP: the 3-D Secure challenge answered by posting its form, as a
// browser would, and the card page's checks on its link.
import test, { type ExecutionContext } from "ava";
import { PUBLISHABLE_KEY, startTestProcessor } from "../helpers/processor.ts";

const RETURN_URL = "https://marquee.test/pay/return?booking=b1";

async function challenged(t: ExecutionContext, paymentMethod: string) {
  const started = await startTestProcessor(t);
  const intent = await started.stripe.paymentIntents.create({ amount: 2000, currency: "eur", payment_method: paymentMethod, confirm: true, return_url: RETURN_URL });
  t.is(intent.status, "requires_action");
  const page = await fetch(intent.next_action!.redirect_to_url!.url!);
  t.is(page.status, 200);
  const text = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(text)![1]!;
  const secret = /name="client_secret" value="([^"]+)"/.exec(text)![1]!;
  /** Presses one of the page's buttons; resolves to where the browser is sent. */
  const press = async (outcome: "complete" | "fail") => {
    const res = await fetch(new URL(action, started.processor.url), { method: "POST", redirect: "manual", body: new URLSearchParams({ client_secret: secret, outcome }) });
    t.is(res.status, 303);
    return new URL(res.headers.get("location")!);
  };
  return { ...started, intent, text, press };
}

test("the challenge page offers Complete and Fail; completing pays and returns to return_url", async (t) => {
  const { stripe, intent, text, press } = await challenged(t, "pm_card_authenticationRequired");
  t.regex(text, /Complete authentication/);
  t.regex(text, /Fail authentication/);
  const back = await press("complete");
  t.is(back.origin + back.pathname, "https://marquee.test/pay/return");
  t.is(back.searchParams.get("booking"), "b1");
  t.is(back.searchParams.get("payment_intent"), intent.id);
  t.is(back.searchParams.get("redirect_status"), "succeeded");
  t.like(await stripe.paymentIntents.retrieve(intent.id), { status: "succeeded", amount_received: 2000 });
});

test("failing the challenge leaves the intent needing a payment method with payment_intent_authentication_failure", async (t) => {
  const { stripe, intent, press } = await challenged(t, "pm_card_authenticationRequired");
  t.is((await press("fail")).searchParams.get("redirect_status"), "failed");
  const after = await stripe.paymentIntents.retrieve(intent.id);
  t.is(after.status, "requires_payment_method");
  t.is(after.last_payment_error!.code, "payment_intent_authentication_failure");
});

test("the always-failing test method fails even when Complete is pressed; a second press changes nothing", async (t) => {
  const { stripe, intent, press } = await challenged(t, "pm_card_authenticationRequiredChallengeFails");
  t.is((await press("complete")).searchParams.get("redirect_status"), "failed");
  t.is((await press("complete")).searchParams.get("redirect_status"), "failed");
  t.is((await stripe.paymentIntents.retrieve(intent.id)).status, "requires_payment_method");
});

test("the challenge answers only the holder of the client secret", async (t) => {
  const { processor, intent } = await challenged(t, "pm_card_authenticationRequired");
  const res = await fetch(`${processor.url}/3ds/${intent.id}`, { method: "POST", redirect: "manual", body: new URLSearchParams({ client_secret: "guess", outcome: "complete" }) });
  t.is(res.status, 404);
  t.is((await fetch(`${processor.url}/3ds/${intent.id}?client_secret=guess`)).status, 404);
});

test("the card page lists the test cards and posts only to the processor; a non-http return_url is a 400 page", async (t) => {
  const { processor } = await startTestProcessor(t);
  const link = (returnUrl: string, key = PUBLISHABLE_KEY) => `${processor.url}/checkout?key=${key}&return_url=${encodeURIComponent(returnUrl)}&amount=1850&currency=eur&description=${encodeURIComponent("2 seats <Dune>")}`;
  const page = await fetch(link(RETURN_URL));
  t.is(page.status, 200);
  t.regex(page.headers.get("content-type")!, /text\/html/);
  t.regex(page.headers.get("content-security-policy")!, /default-src 'none'/);
  const text = await page.text();
  t.regex(text, /4242 4242 4242 4242/);
  t.regex(text, /4000 0025 0000 3155/);
  t.regex(text, /Pay €18\.50/);
  t.regex(text, /2 seats &lt;Dune&gt;/);
  t.regex(text, /fetch\("\/v1\/payment_methods"/);
  t.notRegex(text, /https?:\/\/(?!marquee\.test)/, "no external asset or endpoint");
  const refused = await fetch(link("javascript:alert(1)"));
  t.is(refused.status, 400);
  t.regex(await refused.text(), /return_url must be an http or https URL/);
  t.is((await fetch(link(RETURN_URL, "pk_test_other"))).status, 400);
});
