import test from "ava";
import { canonicalEmail, emailSkeleton } from "../../../domain/auth/email.ts";

test("an address is NFKC-normalized, trimmed and lower-cased", (t) => {
  t.deepEqual(canonicalEmail("  Ada@Example.COM "), { ok: true, email: "ada@example.com" });
  // Fullwidth letters are compatibility forms of ASCII ones.
  t.deepEqual(canonicalEmail("ａｄａ@example.com"), { ok: true, email: "ada@example.com" });
});

test("control and invisible characters are refused", (t) => {
  for (const raw of ["ada\u0000@example.com", "ada\n@example.com", "ad\u200ba@example.com", "ada@exa\u202emple.com", "\ufeffada@example.com", "ada\u007f@example.com"]) {
    t.like(canonicalEmail(raw), { ok: false, code: "INVALID_EMAIL" }, JSON.stringify(raw));
  }
});

test("Cyrillic and Greek homoglyphs of an address share its skeleton", (t) => {
  const admin = emailSkeleton("admin@marquee.local");
  t.is(emailSkeleton("аdmin@marquee.local"), admin, "Cyrillic а");
  t.is(emailSkeleton("admin@mаrquее.lосаl"), admin, "Cyrillic in the domain");
  t.is(emailSkeleton("admіn@marquee.local"), admin, "Cyrillic і");
  t.is(emailSkeleton("admin@marquεe.lοcal"), admin, "Greek ε and ο");
  t.is(emailSkeleton("ádmin@marquee.local"), admin, "an accent");
});

test("addresses that merely differ keep different skeletons", (t) => {
  t.not(emailSkeleton("admin@marquee.local"), emailSkeleton("admins@marquee.local"));
  t.not(emailSkeleton("anna@example.com"), emailSkeleton("anne@example.com"));
  t.not(emailSkeleton("joe@example.com"), emailSkeleton("j0e@example.com"));
});
