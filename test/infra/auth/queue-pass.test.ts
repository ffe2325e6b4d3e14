import test from "ava";
import { queuePasses } from "../../../infra/auth/queue-pass.ts";
import { signToken } from "../../../infra/auth/tokens.ts";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const passes = queuePasses(SECRET);
const now = Date.parse("2026-12-01T10:00:00Z");

test("a pass lets its own account hold on its own on-sale until it expires", async (t) => {
  const pass = await passes.issue("usr_a", "ons_1", now + 600_000);
  t.is(await passes.refusal(pass, "usr_a", "ons_1", now), undefined);
  t.is(await passes.refusal(pass, "usr_a", "ons_1", now + 599_000), undefined);
});

test("an expired pass is refused", async (t) => {
  const pass = await passes.issue("usr_a", "ons_1", now + 600_000);
  t.is(await passes.refusal(pass, "usr_a", "ons_1", now + 600_000), "expired");
});

test("a pass for another account or another on-sale is refused", async (t) => {
  const pass = await passes.issue("usr_a", "ons_1", now + 600_000);
  t.is(await passes.refusal(pass, "usr_b", "ons_1", now), "other_account");
  t.is(await passes.refusal(pass, "usr_a", "ons_2", now), "other_onsale");
});

test("a forged pass is refused: signed with another key, tampered with, a bearer token, or none", async (t) => {
  const forged = await queuePasses("another-secret-that-is-long-enough-987654321").issue("usr_a", "ons_1", now + 600_000);
  t.is(await passes.refusal(forged, "usr_a", "ons_1", now), "invalid");
  const real = await passes.issue("usr_a", "ons_1", now + 600_000);
  const [header, , signature] = real.split(".");
  const claims = Buffer.from(JSON.stringify({ onsale: "ons_1", sub: "usr_b", aud: "marquee-queue-pass", exp: Math.floor(now / 1000) + 600 })).toString("base64url");
  t.is(await passes.refusal(`${header}.${claims}.${signature}`, "usr_b", "ons_1", now), "invalid");
  const bearer = await signToken({ id: "usr_a", email: "a@b.c", name: "A", role: "customer" }, SECRET, 600);
  t.is(await passes.refusal(bearer, "usr_a", "ons_1", now), "invalid");
  t.is(await passes.refusal("not a pass", "usr_a", "ons_1", now), "invalid");
  t.is(await passes.refusal(undefined, "usr_a", "ons_1", now), "missing");
});
