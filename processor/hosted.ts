// The hosted pages' handlers: the card form, and the 3-D Secure challenge whose buttons move
// the intent on (charge, or authentication failure) and send the browser back to return_url.
import { authenticate, type PaymentRecord } from "./intents.ts";
import { html, redirect, route, type Reply, type Route } from "./http.ts";
import { challengePage, checkoutPage, errorPage, noticePage } from "./pages.ts";
import { redirectUrl } from "./params.ts";
import type { Runtime } from "./runtime.ts";

export interface PageCall { query: URLSearchParams; form: URLSearchParams; path: Record<string, string>; nonce: string }
export type PageHandler = (call: PageCall) => Promise<Reply>;

/** Where the browser goes after the challenge, with what Stripe appends to return_url. */
function back(record: PaymentRecord): string | undefined {
  if (!record.returnUrl) return undefined;
  const url = new URL(record.returnUrl);
  url.searchParams.set("payment_intent", record.intent.id);
  url.searchParams.set("payment_intent_client_secret", record.intent.client_secret);
  url.searchParams.set("redirect_status", record.intent.status === "succeeded" ? "succeeded" : "failed");
  return url.href;
}

const resultPage = (nonce: string, record: PaymentRecord): string =>
  record.intent.status === "succeeded"
    ? noticePage(nonce, "Payment authenticated", "The payment succeeded. You may close this page.")
    : noticePage(nonce, "Authentication failed", "The payment was not authenticated. You may close this page.");

export function pageRoutes(rt: Runtime, publishableKey: string): Route<PageHandler>[] {
  /** The intent a challenge link names, only for the holder of its client secret. */
  const challenged = async (id: string, secret: string | null): Promise<PaymentRecord | undefined> => {
    const record = await rt.ledger.load(id);
    return record && secret && record.intent.client_secret === secret ? record : undefined;
  };
  return [
    route("GET /checkout", async ({ query, nonce }) => {
      const returnUrl = query.get("return_url") ?? undefined;
      if (query.get("key") !== publishableKey) return html(400, errorPage(nonce, "The key in this link is not this processor's publishable key."));
      if (!redirectUrl(returnUrl)) return html(400, errorPage(nonce, "return_url must be an http or https URL."));
      return html(200, checkoutPage(nonce, {
        publishableKey, returnUrl: returnUrl!, amount: query.get("amount") ?? undefined, currency: query.get("currency") ?? undefined, description: query.get("description") ?? undefined,
      }));
    }),
    route("GET /3ds/:id", async ({ path, query, nonce }) => {
      const record = await challenged(path.id!, query.get("client_secret"));
      if (!record) return html(404, errorPage(nonce, "No payment waits for authentication at this link."));
      if (record.intent.status !== "requires_action") return html(200, resultPage(nonce, record));
      const { id, client_secret, amount, currency } = record.intent;
      const page = html(200, challengePage(nonce, { intentId: id, clientSecret: client_secret, amount, currency }));
      return record.returnUrl ? { ...page, formTarget: new URL(record.returnUrl).origin } : page;
    }),
    route("POST /3ds/:id", async ({ path, form, nonce }) => {
      const outcome = form.get("outcome");
      if (outcome !== "complete" && outcome !== "fail") return html(400, errorPage(nonce, "Choose Complete or Fail authentication."));
      if (!(await challenged(path.id!, form.get("client_secret")))) return html(404, errorPage(nonce, "No payment waits for authentication at this link."));
      const ctx = rt.context();
      const change = await rt.ledger.change(path.id!, (r) => authenticate(r, outcome === "complete", ctx));
      await rt.after(change, { id: null, idempotencyKey: null });
      const record = "committed" in change ? change.committed.record : "unchanged" in change ? change.unchanged : undefined;
      if (!record) return html(404, errorPage(nonce, "No payment waits for authentication at this link."));
      const to = back(record);
      return to ? redirect(to) : html(200, resultPage(nonce, record));
    }),
  ];
}
