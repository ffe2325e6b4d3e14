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

/** Ushers admit tickets at the door; an admin may stand in for one. */
export function usherOf(ctx: Context<unknown, CallMeta>): Caller {
  const caller = callerOf(ctx);
  if (caller.role !== "usher" && caller.role !== "admin") throw new ForbiddenError("This needs the usher role: an admin grants it");
  return caller;
}

/**
 * Whose records a caller's lookups are limited to: a customer's own, or no one's for an admin,
 * who sees everyone's. Callers answer someone else's record as not found, so its existence is
 * not revealed.
 */
export const ownerScope = (caller: Caller): string | undefined => (caller.role === "admin" ? undefined : caller.id);

export const mayAccess = (caller: Caller, ownerId: string): boolean => {
  const scope = ownerScope(caller);
  return scope === undefined || scope === ownerId;
};
