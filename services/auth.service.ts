// Accounts and sign-in: register (throttled per address), login (failures throttled per account
// and address, and per address), token checks.
// Users live behind the store port, keyed by id with a unique email index, so any node of a
// cluster can sign anyone in.
import type { Context, ServiceSchema } from "moleculer";
import { hashPassword, needsRehash, verifyPassword, type ScryptParams } from "../infra/auth/password.ts";
import { signToken, verifyToken } from "../infra/auth/tokens.ts";
import { adminOf, callerOf } from "./caller.ts";
import { idParam } from "./params.ts";
import { created } from "./replies.ts";
import type { CallMeta, Caller, ServiceDeps } from "./deps.ts";
import { newId } from "./ids.ts";
import { canonicalEmail, emailSkeleton } from "../domain/auth/email.ts";
import { ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError, UnprocessableError } from "./errors.ts";

type Ctx<P = Record<string, never>> = Context<P, CallMeta>;

interface UserRecord extends Caller {
  passwordHash: string;
  createdAt: string;
}

const publicUser = ({ id, email, name, role }: UserRecord | Caller): Caller => ({ id, email, name, role });
const email = { type: "email", normalize: true, max: 254 } as const;

export default function authService({ config, store }: ServiceDeps): ServiceSchema {
  const params: ScryptParams = { N: config.scryptN, r: 8, p: 5 };
  // Unknown emails still pay for one hash, so response times do not reveal who has an account.
  const decoyHash = hashPassword("decoy password", params);

  /** The account's canonical address, or a 422 saying why there is none. */
  function addressOf(raw: string): string {
    const check = canonicalEmail(raw);
    if (!check.ok) throw new UnprocessableError(check.message, check.code, { field: "email" });
    return check.email;
  }

  async function createUser(input: { email: string; password: string; name: string; role: Caller["role"] }): Promise<UserRecord | "EMAIL_TAKEN" | "EMAIL_CONFUSABLE"> {
    const user: UserRecord = {
      id: newId("usr"),
      email: input.email, name: input.name, role: input.role,
      passwordHash: await hashPassword(input.password, params),
      createdAt: new Date().toISOString(),
    };
    // The skeleton is claimed first and atomically: two racing sign-ups of one address, or of
    // two addresses a reader could not tell apart, cannot both win.
    const skeleton = emailSkeleton(user.email);
    if (!(await store.putIfAbsent("userBySkeleton", skeleton, user.id))) {
      return (await store.get("userByEmail", user.email)) ? "EMAIL_TAKEN" : "EMAIL_CONFUSABLE";
    }
    let emailClaimed = false;
    try {
      // Accounts made before skeletons were kept have only the email index.
      emailClaimed = await store.putIfAbsent("userByEmail", user.email, user.id);
      if (!emailClaimed) {
        await store.remove("userBySkeleton", skeleton);
        return "EMAIL_TAKEN";
      }
      await store.put("users", user.id, user);
      return user;
    } catch (error) {
      // The store failed half-way: give the claims back, as far as it lets us, so the address
      // is not left pointing at an account that was never made.
      await Promise.all([
        store.remove("userBySkeleton", skeleton),
        emailClaimed ? store.remove("userByEmail", user.email) : undefined,
      ]).catch(() => undefined);
      throw error;
    }
  }

  const throttled = (message: string, resetInMs: number, type: string) => {
    const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
    return new TooManyRequestsError(`${message}; try again in ${seconds} s`, seconds, type);
  };

  /**
   * OWASP's lockout, by failures only. An attempt counts as a failure of its (account, address)
   * pair and of its address before the password is checked, so parallel guesses cannot all
   * slip under the limit, and a success gives both back. Past either limit an attempt is
   * refused before any hashing, except from a client that has signed in to this account from
   * this address before, which gets a few tries of its own: someone guessing from elsewhere,
   * or from the same address, cannot lock the owner out, and gains only those few tries.
   */
  async function admit(email: string, address: string, user: UserRecord | undefined): Promise<void> {
    const [here, fromAddress] = await Promise.all([
      store.hit(`login:failures:${email}:${address}`, config.loginWindowMs),
      store.hit(`login:failures:address:${address}`, config.loginWindowMs),
    ]);
    const locked = here.count > config.loginMaxPerAccount ? here : fromAddress.count > config.loginMaxPerAddress ? fromAddress : undefined;
    if (!locked) return;
    const known = user !== undefined && (await store.members(`knownClients:${user.id}`)).includes(address);
    if (known && (await store.hit(`login:known:${email}:${address}`, config.loginWindowMs)).count <= config.loginMaxPerAccount) return;
    throw throttled("Too many failed sign-ins", locked.resetInMs, "LOGIN_THROTTLED");
  }

  /** A success: the attempt was no failure, and this address is now known for the account. */
  const welcome = (email: string, address: string, user: UserRecord) => Promise.all([
    store.clearCounter(`login:failures:${email}:${address}`),
    store.hit(`login:failures:address:${address}`, config.loginWindowMs, -1),
    store.addToSet(`knownClients:${user.id}`, address),
  ]);

  const issue = async (user: UserRecord) => ({ token: await signToken(publicUser(user), config.tokenSecret, config.tokenTtlSeconds), user: publicUser(user) });

  return {
    name: "auth",

    actions: {
      register: {
        params: { email, password: { type: "string", min: 8, max: 200 }, name: { type: "string", min: 1, max: 100, trim: true } },
        async handler(ctx: Ctx<{ email: string; password: string; name: string }>) {
          // Every attempt counts, before any hashing: each costs the server a hash, and a 409
          // tells whether an address has an account, so both are rationed per address.
          const hit = await store.hit(`signup:address:${ctx.meta.clientIp ?? "unknown"}`, config.signupWindowMs);
          if (hit.count > config.signupMaxPerAddress) throw throttled("Too many sign-ups from this address", hit.resetInMs, "SIGNUP_THROTTLED");
          const address = addressOf(ctx.params.email);
          // Whatever role a client sends is ignored: admins are made by admins (or the bootstrap).
          const user = await createUser({ ...ctx.params, email: address, role: "customer" });
          if (user === "EMAIL_TAKEN") throw new ConflictError("An account with this email already exists; log in instead", user, { email: address });
          if (user === "EMAIL_CONFUSABLE") throw new ConflictError("This email looks the same as an existing account's; use another address", user, { email: address });
          return created(ctx, "/api/me", await issue(user));
        },
      },

      login: {
        params: { email, password: { type: "string", min: 1, max: 200 } },
        async handler(ctx: Ctx<{ email: string; password: string }>) {
          const { password } = ctx.params;
          const check = canonicalEmail(ctx.params.email);
          const address = ctx.meta.clientIp ?? "unknown";
          const email = check.ok ? check.email : "";
          const userId = check.ok ? await store.get<string>("userByEmail", email) : undefined;
          const user = userId ? await store.get<UserRecord>("users", userId) : undefined;
          await admit(email, address, user);
          const valid = await verifyPassword(password, user ? user.passwordHash : await decoyHash);
          if (!user || !valid) throw new UnauthorizedError("Email or password is wrong", "INVALID_CREDENTIALS");
          await welcome(email, address, user);
          if (needsRehash(user.passwordHash, params)) await store.put("users", user.id, { ...user, passwordHash: await hashPassword(password, params) });
          return issue(user);
        },
      },

      /** For services and operators: who does this token name? */
      verify: {
        params: { token: { type: "string", min: 1, max: 4096 } },
        async handler(ctx: Ctx<{ token: string }>) {
          try {
            return await verifyToken(ctx.params.token, config.tokenSecret);
          } catch {
            throw new UnauthorizedError("The token is invalid or expired: log in again", "INVALID_TOKEN");
          }
        },
      },

      me: {
        async handler(ctx: Ctx) {
          const caller = callerOf(ctx);
          const user = await store.get<UserRecord>("users", caller.id);
          if (!user) throw new UnauthorizedError("This account no longer exists", "INVALID_TOKEN");
          return publicUser(user);
        },
      },

      /** An admin makes an account an usher (or a customer again); it applies from the next sign-in. */
      setRole: {
        params: { email, role: { type: "enum", values: ["customer", "usher"] } },
        async handler(ctx: Ctx<{ email: string; role: "customer" | "usher" }>) {
          adminOf(ctx);
          const userId = await store.get<string>("userByEmail", ctx.params.email);
          const user = userId ? await store.get<UserRecord>("users", userId) : undefined;
          if (!user) throw new NotFoundError("User", ctx.params.email);
          if (user.role === "admin") throw new ConflictError("Admins keep their role", "ROLE_FIXED", { email: user.email });
          const next = { ...user, role: ctx.params.role };
          await store.put("users", user.id, next);
          this.logger.info(`auth: ${adminOf(ctx).email} made ${user.email} ${ctx.params.role}`);
          return publicUser(next);
        },
      },

      getUser: {
        params: { userId: idParam },
        async handler(ctx: Ctx<{ userId: string }>) {
          const user = await store.get<UserRecord>("users", ctx.params.userId);
          if (!user) throw new NotFoundError("User", ctx.params.userId);
          return publicUser(user);
        },
      },
    },

    async started() {
      // The bootstrap admin; on a cluster every auth node tries and the email index picks one.
      const adminId = await store.get<string>("userByEmail", config.adminEmail);
      // An admin made before skeletons were kept gets one, so look-alikes of it are refused.
      if (adminId) await store.putIfAbsent("userBySkeleton", emailSkeleton(config.adminEmail), adminId);
      else await createUser({ email: config.adminEmail, password: config.adminPassword, name: "Administrator", role: "admin" });
    },
  };
}
