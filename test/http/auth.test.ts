// Sign-up and sign-in against an attacker: throttles that count failures, lockouts the owner
// can get through, and addresses that cannot impersonate another account. Client addresses
// come from X-Forwarded-For, as behind a trusted proxy (TRUST_PROXY).
import test from "ava";
import { startServer, type Client } from "../helpers/http.ts";

const PASSWORD = "correct horse battery";
const from = (address: string) => ({ "x-forwarded-for": address });

async function signUp(api: Client, email: string, address = "198.51.100.1") {
  return api.request("POST", "/api/auth/register", { body: { email, password: PASSWORD, name: "Owner" }, headers: from(address) });
}
const logIn = (api: Client, email: string, password: string, address: string) =>
  api.request("POST", "/api/auth/login", { body: { email, password }, headers: from(address) });

test("sign-ups are rationed per address, 409s included, so nobody can mass-check which emails have accounts", async (t) => {
  const api = await startServer(t, { trustProxy: true, signupMaxPerAddress: 3 });
  t.is((await signUp(api, "first@example.com", "203.0.113.7")).status, 201);
  t.is((await signUp(api, "first@example.com", "203.0.113.7")).status, 409);
  t.is((await signUp(api, "second@example.com", "203.0.113.7")).status, 201);
  const refused = await signUp(api, "third@example.com", "203.0.113.7");
  t.is(refused.status, 429);
  t.is(refused.body.type, "SIGNUP_THROTTLED");
  t.regex(refused.headers.get("retry-after") ?? "", /^\d+$/);
  t.is((await signUp(api, "third@example.com", "203.0.113.8")).status, 201, "another address is not affected");
});

test("wrong passwords from an attacker's address do not lock the owner out, and successes never count", async (t) => {
  const api = await startServer(t, { trustProxy: true, loginMaxPerAccount: 3 });
  t.is((await signUp(api, "owner@example.com")).status, 201);
  const attacker = [];
  for (let i = 0; i < 5; i++) attacker.push((await logIn(api, "owner@example.com", "guess " + i, "203.0.113.66")).status);
  t.deepEqual(attacker, [401, 401, 401, 429, 429]);
  // The owner, elsewhere, signs in as often as they like: successes are not failures.
  for (let i = 0; i < 6; i++) t.is((await logIn(api, "owner@example.com", PASSWORD, "198.51.100.1")).status, 200);
});

test("guesses sent all at once are held to the same limit as guesses sent one by one", async (t) => {
  const api = await startServer(t, { trustProxy: true, loginMaxPerAccount: 3 });
  await signUp(api, "target@example.com");
  const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => logIn(api, "target@example.com", `guess ${i}`, "203.0.113.99")));
  const statuses = replies.map((r) => r.status);
  t.is(statuses.filter((s) => s === 401).length, 3, "only three passwords were checked");
  t.is(statuses.filter((s) => s === 429).length, 17);
});

test("a success forgives earlier failures from the same address", async (t) => {
  const api = await startServer(t, { trustProxy: true, loginMaxPerAccount: 3 });
  await signUp(api, "typo@example.com");
  const statuses = [];
  for (const password of ["oops", "oops", PASSWORD, "oops", "oops", PASSWORD]) statuses.push((await logIn(api, "typo@example.com", password, "198.51.100.2")).status);
  t.deepEqual(statuses, [401, 401, 200, 401, 401, 200]);
});

test("behind a locked address, a client that signed in from it before still gets in with the right password; a stranger does not", async (t) => {
  const api = await startServer(t, { trustProxy: true, loginMaxPerAccount: 3, loginMaxPerAddress: 3 });
  const office = "192.0.2.10";
  await signUp(api, "regular@example.com");
  await signUp(api, "newcomer@example.com");
  t.is((await logIn(api, "regular@example.com", PASSWORD, office)).status, 200);
  // Someone at the same address guesses at both accounts until the address is locked.
  for (let i = 0; i < 3; i++) await logIn(api, "regular@example.com", "guess " + i, office);
  t.is((await logIn(api, "newcomer@example.com", "guess", office)).status, 429, "the guesser is stopped");
  t.is((await logIn(api, "newcomer@example.com", PASSWORD, office)).status, 429, "an address never seen for this account waits");
  t.is((await logIn(api, "regular@example.com", PASSWORD, office)).status, 200, "the known client gets through");
});

test("emails are normalized, control characters refused, and a look-alike of an existing address is refused", async (t) => {
  const api = await startServer(t, { trustProxy: true });
  const nul = await signUp(api, "ada\u0000@example.com");
  t.is(nul.status, 422);
  t.is(nul.body.type, "INVALID_EMAIL");
  // Cyrillic "а" in place of the Latin one: the admin's address to a reader.
  const homoglyph = await signUp(api, "\u0430dmin@marquee.local");
  t.is(homoglyph.status, 409);
  t.is(homoglyph.body.type, "EMAIL_CONFUSABLE");
  const fullwidth = await signUp(api, "\uff47race@example.com");
  t.is(fullwidth.status, 201);
  t.is(fullwidth.body.user.email, "grace@example.com");
  t.is((await logIn(api, "Grace@Example.com", PASSWORD, "198.51.100.1")).status, 200);
  t.is((await signUp(api, "grace@example.com")).body.type, "EMAIL_TAKEN");
});

test("a client cannot dodge the per-address limits with X-Forwarded-For: ignored unless TRUST_PROXY, and then only the proxy's entry counts", async (t) => {
  const direct = await startServer(t, { trustProxy: false, signupMaxPerAddress: 2 });
  const spoofed = [];
  for (let i = 0; i < 3; i++) spoofed.push((await signUp(direct, `direct${i}@example.com`, `10.0.0.${i}`)).status);
  t.deepEqual(spoofed, [201, 201, 429], "every request came from the same socket address");

  const proxied = await startServer(t, { trustProxy: true, signupMaxPerAddress: 2 });
  const chained = [];
  // The client prepends whatever it likes; the proxy appends the address it saw.
  for (let i = 0; i < 3; i++) chained.push((await signUp(proxied, `chained${i}@example.com`, `10.0.0.${i}, 203.0.113.50`)).status);
  t.deepEqual(chained, [201, 201, 429]);
});
