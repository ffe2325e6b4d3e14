// Who is calling: the gateway puts the verified caller in ctx.meta.caller; actions ask here.
import type { Context } from "moleculer";
import type { CallMeta, Caller } from "./deps.ts";
import { ForbiddenError, UnauthorizedError } from "./errors.ts";

export function callerOf(ctx: Context<unknown, CallMeta>): Caller {
  const caller = ctx.meta.caller;
  if (!caller) throw new UnauthorizedError();
  return caller;
}

export function adminOf(ctx: Context<unknown, CallMeta>): Caller {
  const caller = callerOf(ctx);
  if (caller.role !== "admin") throw new ForbiddenError();
  return caller;
}
