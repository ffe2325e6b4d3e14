// The hosted pages in Chromium on a phone-sized screen: a card typed into the card page comes
// back as a payment method, and the 3-D Secure page's Complete button pays and returns.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { launch, open, WAIT } from "../helpers/browser.ts";
import { PUBLISHABLE_KEY, startTestProcessor } from "../helpers/processor.ts";
import { CHROMIUM, missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries(CHROMIUM));

test("a card typed into the card page pays through the 3-D Secure page, the way back carrying the ids", async (t) => {
  const { processor, stripe } = await startTestProcessor(t);
  const shop = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>back</title><p>back at the shop</p>"));
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => { shop.close(() => resolve()); shop.closeAllConnections(); }));
  const returnUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}/return?booking=b1`;

  const errors: string[] = [];
  const page = await open(await launch(t), errors, { viewport: { width: 390, height: 844 }, isMobile: true });
  // Content-Security-Policy refusals show only here; the mistyped card's 402 is expected.
  page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("status of 402")) errors.push(m.text()); });
  await page.goto(`${processor.url}/checkout?key=${PUBLISHABLE_KEY}&return_url=${encodeURIComponent(returnUrl)}&amount=1850&currency=eur`);
  await page.getByLabel("Card number").fill("4242 4242 4242 4241");
  await page.getByLabel("Expiry (MM/YY)").fill("12/34");
  await page.getByLabel("CVC").fill("123");
  await page.getByRole("button", { name: "Pay €18.50" }).click();
  await page.getByRole("alert").filter({ hasText: "Your card number is incorrect." }).waitFor(WAIT);
  await page.getByLabel("Card number").fill("4000 0025 0000 3155");
  await page.getByRole("button", { name: "Pay €18.50" }).click();
  await page.waitForURL((url) => url.pathname === "/return", WAIT);
  const back = new URL(page.url());
  t.is(back.searchParams.get("booking"), "b1");
  const method = back.searchParams.get("payment_method")!;
  t.regex(method, /^pm_/);

  const intent = await stripe.paymentIntents.create({ amount: 1850, currency: "eur", payment_method: method, confirm: true, return_url: returnUrl });
  t.is(intent.status, "requires_action");
  await page.goto(intent.next_action!.redirect_to_url!.url!);
  await page.getByRole("button", { name: "Complete authentication" }).click();
  await page.waitForURL((url) => url.pathname === "/return", WAIT);
  t.is(new URL(page.url()).searchParams.get("redirect_status"), "succeeded");
  t.is((await stripe.paymentIntents.retrieve(intent.id)).status, "succeeded");
  t.deepEqual(errors, []);
});
