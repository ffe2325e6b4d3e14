// The hosted pages: the card form (Checkout's role) and the 3-D Secure challenge. Plain HTML
// with a little inline script under a nonce; no external assets, readable on a phone.

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; padding: 1rem; background: #f6f7fb; color: #1a1a2e; }
  main { max-width: 26rem; margin: 0 auto; background: #fff; padding: 1.25rem; border-radius: .75rem; box-shadow: 0 1px 4px #0002; }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
  input { width: 100%; box-sizing: border-box; font-size: 1.1rem; padding: .6rem; border: 1px solid #889; border-radius: .4rem; }
  .row { display: flex; gap: .75rem; } .row > div { flex: 1; }
  button { width: 100%; margin-top: 1rem; font-size: 1.1rem; padding: .75rem; border: 0; border-radius: .4rem; background: #3d3dc8; color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: #a0132a; border: 2px solid #a0132a; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
  [role=alert] { color: #a0132a; font-weight: 600; min-height: 1.5em; }
  table { width: 100%; border-collapse: collapse; font-size: .9rem; } td, th { text-align: left; padding: .2rem; border-bottom: 1px solid #ddd; }
  details { margin-top: 1.25rem; }`;

function page(title: string, nonce: string, body: string, script = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
${script && `<script nonce="${nonce}">${script}</script>`}
</body>
</html>`;
}

export function noticePage(nonce: string, heading: string, message: string): string {
  return page(heading, nonce, `<h1>${escape(heading)}</h1>\n<p role="status">${escape(message)}</p>`);
}

export const errorPage = (nonce: string, message: string): string => noticePage(nonce, "Something is wrong with this link", message);

const TEST_CARDS: [string, string][] = [
  ["4242 4242 4242 4242", "Visa, succeeds"],
  ["5555 5555 5555 4444", "Mastercard, succeeds"],
  ["4000 0025 0000 3155", "3-D Secure, then succeeds"],
  ["4000 0000 0000 9235", "3-D Secure that always fails"],
  ["4000 0000 0000 0002", "Declined"],
  ["4000 0000 0000 9995", "Declined: insufficient funds"],
  ["4000 0000 0000 0069", "Declined: expired card"],
];

export interface CheckoutPage { publishableKey: string; returnUrl: string; amount?: string; currency?: string; description?: string }

function formatAmount(amount: string | undefined, currency: string | undefined): string | undefined {
  if (!amount || !/^\d+$/.test(amount) || !currency || !/^[a-zA-Z]{3}$/.test(currency)) return undefined;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(Number(amount) / 100);
  } catch {
    return undefined;
  }
}

/**
 * The card form. The browser sends the card to the processor only (POST /v1/payment_methods
 * with the publishable key), then goes back to `returnUrl` with nothing but the method's id.
 */
export function checkoutPage(nonce: string, p: CheckoutPage): string {
  const total = formatAmount(p.amount, p.currency);
  const heading = total ? `Pay ${escape(total)}` : "Pay by card";
  const cards = TEST_CARDS.map(([n, what]) => `<tr><td><code>${n}</code></td><td>${what}</td></tr>`).join("\n");
  const body = `<h1>${heading}</h1>
${p.description ? `<p>${escape(p.description)}</p>` : ""}
<form id="card" novalidate>
  <label for="number">Card number</label>
  <input id="number" name="number" inputmode="numeric" autocomplete="cc-number" required aria-describedby="error">
  <div class="row">
    <div><label for="expiry">Expiry (MM/YY)</label><input id="expiry" name="expiry" inputmode="numeric" autocomplete="cc-exp" placeholder="12/34" required></div>
    <div><label for="cvc">CVC</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required></div>
  </div>
  <p id="error" role="alert" aria-live="assertive"></p>
  <button type="submit">${heading}</button>
</form>
<details>
  <summary>Test cards (any future expiry, any CVC)</summary>
  <table><thead><tr><th scope="col">Number</th><th scope="col">Behaviour</th></tr></thead><tbody>
${cards}
  </tbody></table>
</details>`;
  const script = `
const KEY = ${JSON.stringify(p.publishableKey).replace(/</g, "\\u003c")};
const RETURN_URL = ${JSON.stringify(p.returnUrl).replace(/</g, "\\u003c")};
const form = document.getElementById("card");
const error = document.getElementById("error");
form.addEventListener("submit", async (e) => {
  e.preventDefault();
  error.textContent = "";
  const [month, year] = form.expiry.value.split("/").map((s) => s.trim());
  const body = new URLSearchParams({ type: "card", "card[number]": form.number.value, "card[exp_month]": month || "", "card[exp_year]": year || "", "card[cvc]": form.cvc.value });
  const button = form.querySelector("button");
  button.disabled = true;
  try {
    const res = await fetch("/v1/payment_methods", { method: "POST", headers: { authorization: "Bearer " + KEY }, body });
    const answer = await res.json();
    if (!res.ok) throw new Error(answer.error ? answer.error.message : "The card could not be used");
    const next = new URL(RETURN_URL);
    next.searchParams.set("payment_method", answer.id);
    location.assign(next.href);
  } catch (err) {
    error.textContent = err.message;
    button.disabled = false;
    form.number.focus();
  }
});`;
  return page(heading, nonce, body, script);
}

export interface ChallengePage { intentId: string; clientSecret: string; amount: number; currency: string }

/** Stripe's test challenge: two buttons, one form; the processor decides what each does. */
export function challengePage(nonce: string, p: ChallengePage): string {
  const total = formatAmount(String(p.amount), p.currency) ?? `${p.amount} ${p.currency}`;
  const body = `<h1>3D Secure test payment</h1>
<p>Confirm the payment of <strong>${escape(total)}</strong>. This is a test page: no bank is asked.</p>
<form method="post" action="/3ds/${encodeURIComponent(p.intentId)}">
  <input type="hidden" name="client_secret" value="${escape(p.clientSecret)}">
  <button type="submit" name="outcome" value="complete">Complete authentication</button>
  <button type="submit" name="outcome" value="fail" class="secondary">Fail authentication</button>
</form>`;
  return page("3D Secure authentication", nonce, body);
}
