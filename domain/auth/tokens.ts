// Signed bearer tokens (JWT, HS256, via jose): who the caller is and until when. jose is used
// rather than hand-written HMAC code because token parsing is where subtle bugs hide
// (algorithm confusion, clock checks, encoding).
import { jwtVerify, SignJWT } from "jose";

export interface TokenSubject {
  id: string;
  email: string;
  name: string;
  role: "customer" | "admin";
}

const key = (secret: string) => new TextEncoder().encode(secret);

export function signToken(subject: TokenSubject, secret: string, ttlSeconds: number): Promise<string> {
  return new SignJWT({ email: subject.email, name: subject.name, role: subject.role })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject.id)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .setIssuer("marquee")
    .sign(key(secret));
}

/** The caller a token names; throws when it is forged, malformed or expired. */
export async function verifyToken(token: string, secret: string): Promise<TokenSubject> {
  const { payload } = await jwtVerify(token, key(secret), { algorithms: ["HS256"], issuer: "marquee" });
  const { sub, email, name, role } = payload;
  if (typeof sub !== "string" || typeof email !== "string" || typeof name !== "string" || (role !== "customer" && role !== "admin")) {
    throw new Error("token claims are incomplete");
  }
  return { id: sub, email, name, role };
}
