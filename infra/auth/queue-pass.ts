// Queue passes: what an admitted customer shows to hold seats during an on-sale. A short-lived
// JWT (HS256, via jose, as the bearer tokens are) bound to one account and one on-sale, under
// a key derived from TOKEN_SECRET for this purpose only, so a pass can never pass for a bearer
// token nor a bearer token for a pass.
import { createHmac, createSecretKey, type KeyObject } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";

export type PassRefusal = "missing" | "invalid" | "expired" | "other_account" | "other_onsale";

const AUDIENCE = "marquee-queue-pass";

export function queuePasses(secret: string) {
  const key: KeyObject = createSecretKey(createHmac("sha256", secret).update("marquee queue pass v1").digest());
  return {
    issue(accountId: string, onsaleId: string, expiresAt: number): Promise<string> {
      return new SignJWT({ onsale: onsaleId })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(accountId)
        .setAudience(AUDIENCE)
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(key);
    },

    /** Undefined when the pass lets this account hold on this on-sale now; else why not. */
    async refusal(pass: string | undefined, accountId: string, onsaleId: string, now: number): Promise<PassRefusal | undefined> {
      if (!pass) return "missing";
      try {
        const { payload } = await jwtVerify(pass, key, { algorithms: ["HS256"], audience: AUDIENCE, currentDate: new Date(now), clockTolerance: 0 });
        if (payload.onsale !== onsaleId) return "other_onsale";
        if (payload.sub !== accountId) return "other_account";
        return undefined;
      } catch (error) {
        return (error as { code?: string }).code === "ERR_JWT_EXPIRED" ? "expired" : "invalid";
      }
    },
  };
}

export type QueuePasses = ReturnType<typeof queuePasses>;
