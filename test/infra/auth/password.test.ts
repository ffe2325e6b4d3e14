import test from "ava";
import { hashPassword, needsRehash, verifyPassword } from "../../../infra/auth/password.ts";

const cheap = { N: 1024, r: 8, p: 1 };

test("a password verifies against its own hash and no other password does", async (t) => {
  const hash = await hashPassword("correct horse battery", cheap);
  t.true(await verifyPassword("correct horse battery", hash));
  t.false(await verifyPassword("correct horse batterY", hash));
  t.false(await verifyPassword("", hash));
});

test("each hash has its own salt, so equal passwords do not give equal hashes", async (t) => {
  t.not(await hashPassword("same password", cheap), await hashPassword("same password", cheap));
});

test("a hash records its parameters, so raising the cost later keeps old hashes working", async (t) => {
  const old = await hashPassword("long lived", cheap);
  t.regex(old, /^scrypt\$1024\$8\$1\$/);
  t.true(await verifyPassword("long lived", old));
  t.true(needsRehash(old, { N: 2048, r: 8, p: 1 }));
  t.false(needsRehash(old, cheap));
});

test("a malformed stored hash never verifies", async (t) => {
  t.false(await verifyPassword("anything", "plain-text"));
  t.false(await verifyPassword("anything", "bcrypt$10$abc$def$ghi$jkl"));
});

test("hashing does not block the event loop", async (t) => {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  await Promise.all([1, 2, 3, 4].map(() => hashPassword("busy", { N: 16_384, r: 8, p: 1 })));
  clearInterval(timer);
  t.true(ticks > 0, "timers kept firing while scrypt ran");
});
