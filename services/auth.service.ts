// Accounts and sign-in: register, login (throttled per account and per address), token checks.
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
import { ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError } from "./errors.ts";

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

  async function createUser(input: { email: string; password: string; name: string; role: Caller["role"] }): Promise<UserRecord | undefined> {
    const user: UserRecord = {
      id: newId("usr"),
      email: input.email, name: input.name, role: input.role,
      passwordHash: await hashPassword(input.password, params),
      createdAt: new Date().toISOString(),
    };
    // The email index is claimed first and atomically: two racing sign-ups cannot both win.
    if (!(await store.putIfAbsent("userByEmail", user.email, user.id))) return undefined;
    await store.put("users", user.id, user);
    return user;
  }

  async function throttle(counter: string, max: number, what: string) {
    const hit = await store.hit(counter, config.loginWindowMs);
    if (hit.count > max) {
      throw new TooManyRequestsError(`Too many sign-in attempts for this ${what}; try again in ${Math.ceil(hit.resetInMs / 1000)} s`, Math.ceil(hit.resetInMs / 1000), "LOGIN_THROTTLED");
    }
  }

  const issue = async (user: UserRecord) => ({ token: await signToken(publicUser(user), config.tokenSecret, config.tokenTtlSeconds), user: publicUser(user) });

  return {
    name: "auth",

    actions: {
      register: {
        params: { email, password: { type: "string", min: 8, max: 200 }, name: { type: "string", min: 1, max: 100, trim: true } },
        async handler(ctx: Ctx<{ email: string; password: string; name: string }>) {
          // Whatever role a client sends is ignored: admins are made by admins (or the bootstrap).
          const user = await createUser({ ...ctx.params, role: "customer" });
          if (!user) throw new ConflictError("An account with this email already exists; log in instead", "EMAIL_TAKEN", { email: ctx.params.email });
          return created(ctx, "/api/me", await issue(user));
        },
      },

      login: {
        params: { email, password: { type: "string", min: 1, max: 200 } },
        async handler(ctx: Ctx<{ email: string; password: string }>) {
          const { email: address, password } = ctx.params;
          // Every attempt counts, checked before any hashing, so guessing costs the guesser.
          await throttle(`login:address:${ctx.meta.clientIp ?? "unknown"}`, config.loginMaxPerAddress, "address");
          await throttle(`login:account:${address}`, config.loginMaxPerAccount, "account");
          const userId = await store.get<string>("userByEmail", address);
          const user = userId ? await store.get<UserRecord>("users", userId) : undefined;
          if (!user) {
            await verifyPassword(password, await decoyHash);
            throw new UnauthorizedError("Email or password is wrong", "INVALID_CREDENTIALS");
          }
          if (!(await verifyPassword(password, user.passwordHash))) throw new UnauthorizedError("Email or password is wrong", "INVALID_CREDENTIALS");
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
      if (!(await store.get("userByEmail", config.adminEmail))) {
        await createUser({ email: config.adminEmail, password: config.adminPassword, name: "Administrator", role: "admin" });
      }
    },
  };
}
