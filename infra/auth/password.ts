// Password hashing with scrypt from node:crypto. The asynchronous scrypt runs on libuv's thread
// pool, so hashing never blocks the event loop. Each hash carries its own parameters and salt
// ("scrypt$N$r$p$salt$hash"), so the cost can be raised later without locking anyone out:
// old hashes keep verifying with the parameters they were made with.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

export interface ScryptParams { N: number; r: number; p: number }

/** OWASP's N=2^14, r=8, p=5 set: 16 MiB per hash. */
export const DEFAULT_PARAMS: ScryptParams = { N: 16_384, r: 8, p: 5 };
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, { N, r, p }: ScryptParams): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes; leave headroom over Node's 32 MiB default ceiling.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), { N: Number(N), r: Number(r), p: Number(p) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when a hash was made with weaker parameters than today's and should be redone at login. */
export function needsRehash(stored: string, params: ScryptParams): boolean {
  const [, N, r, p] = stored.split("$");
  return Number(N) < params.N || Number(r) < params.r || Number(p) < params.p;
}
