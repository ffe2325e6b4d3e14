// HTTP-facing reply details that actions set through ctx.meta for the gateway.
import type { Context } from "moleculer";
import type { CallMeta } from "./deps.ts";

/** A 201 names where the new resource lives, as HTTP asks of a "created" reply. */
export function created<T>(ctx: Context<unknown, CallMeta>, location: string, body: T): T {
  ctx.meta.$statusCode = 201;
  ctx.meta.$location = location;
  return body;
}
