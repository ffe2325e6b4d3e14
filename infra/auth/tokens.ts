// Signed bearer tokens (JWT, HS256, via jose): who the caller is and until when. jose is used
// rather than hand-written HMAC code because token parsing is where subtle bugs hide
// (algorithm confusion, clock checks, encoding).
import { createSecretKey, type KeyObject } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";

export interface TokenSubject {
  id: string;
  email: string;
  name: string;
  /** An usher admits tickets at the door; admins grant the role. */
  role: "customer" | "usher" | "admin";
}

const keyOf = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, "utf8"));

export function signToken(subject: TokenSubject, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ email: subject.email, name: subject.name, role: subject.role })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject.id)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .setIssuer("marquee")
    .sign(keyOf(secret));
}

async function verifyWith(token: string, key: KeyObject, now: number = Date.now()): Promise<{ subject: TokenSubject; expiresAt: number }> {
  const { payload } = await jwtVerify(token, key, { algorithms: ["HS256"], issuer: "marquee", currentDate: new Date(now) });
  const { sub, email, name, role, exp } = payload;
  if (typeof sub !== "string" || typeof email !== "string" || typeof name !== "string" || (role !== "customer" && role !== "usher" && role !== "admin") || typeof exp !== "number") {
    throw new Error("token claims are incomplete");
  }
  return { subject: { id: sub, email, name, role }, expiresAt: exp * 1000 };
}

/** The caller a token names; throws when it is forged, malformed or expired. */
export async function verifyToken(token: string, secret: string): Promise<TokenSubject> {
  return (await verifyWith(token, keyOf(secret))).subject;
}

/**
 * A verifier for the gateway: a client sends the same token with every request, so a token
 * that verified once is remembered (bounded, and never past its expiry) instead of paying for
 * the HMAC again. Only tokens that verified are cached, so a forged one is checked every time.
 */
export function tokenVerifier(secret: string, max = 50_000, now: () => number = Date.now): (token: string) => Promise<TokenSubject> {
  const key = keyOf(secret);
  const verified = new LRUCache<string, { subject: TokenSubject; expiresAt: number }>({ max });
  return async (token) => {
    const hit = verified.get(token);
    if (hit && hit.expiresAt > now()) return hit.subject;
    const fresh = await verifyWith(token, key, now());
    verified.set(token, fresh);
    return fresh.subject;
  };
}
