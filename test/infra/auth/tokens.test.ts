import test from "ava";
import { SignJWT } from "jose";
import { signToken, tokenVerifier, verifyToken } from "../../../infra/auth/tokens.ts";

const secret = "a-test-secret-that-is-long-enough-for-hs256";
const ada = { id: "usr_1", email: "ada@example.com", name: "Ada", role: "customer" as const };

test("a signed token names the caller it was issued to", async (t) => {
  t.deepEqual(await verifyToken(await signToken(ada, secret, 60), secret), ada);
});

test("a token signed with another secret is refused", async (t) => {
  await t.throwsAsync(verifyToken(await signToken(ada, "another-secret-that-is-also-long-enough", 60), secret));
});

test("a tampered token that promotes itself to admin is refused", async (t) => {
  const [header, , signature] = (await signToken(ada, secret, 60)).split(".");
  const forged = Buffer.from(JSON.stringify({ sub: "usr_1", email: ada.email, name: "Ada", role: "admin", iss: "marquee", exp: 9e9 })).toString("base64url");
  await t.throwsAsync(verifyToken(`${header}.${forged}.${signature}`, secret));
});

test("an expired token is refused", async (t) => {
  const expired = await new SignJWT({ email: ada.email, name: ada.name, role: ada.role })
    .setProtectedHeader({ alg: "HS256" }).setSubject(ada.id).setIssuer("marquee")
    .setIssuedAt(Math.floor(Date.now() / 1000) - 120).setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(new TextEncoder().encode(secret));
  await t.throwsAsync(verifyToken(expired, secret));
});

test("an unsigned token (alg none) is refused", async (t) => {
  const body = Buffer.from(JSON.stringify({ sub: "usr_1", email: ada.email, name: "Ada", role: "admin", iss: "marquee", exp: 9e9 })).toString("base64url");
  await t.throwsAsync(verifyToken(`${Buffer.from('{"alg":"none"}').toString("base64url")}.${body}.`, secret));
});

test("the gateway's verifier remembers a good token only until it expires", async (t) => {
  let clock = Date.now();
  const verify = tokenVerifier(secret, 10, () => clock);
  const token = await signToken(ada, secret, 60);
  t.deepEqual(await verify(token), ada);
  t.deepEqual(await verify(token), ada);
  clock += 61_000;
  await t.throwsAsync(verify(token), undefined, "an expired token is refused even though it verified before");
});

test("the gateway's verifier refuses a forged token every time", async (t) => {
  const verify = tokenVerifier(secret, 10);
  const forged = await signToken({ ...ada, role: "admin" }, "another-secret-that-is-also-long-enough", 60);
  await t.throwsAsync(verify(forged));
  await t.throwsAsync(verify(forged));
});
