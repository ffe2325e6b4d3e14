// A store outage reaches clients as one error: 503 STORE_UNAVAILABLE with Retry-After, whichever
// action met it and on whichever node, instead of a 500 naming the Redis client's internals.
// Converted where the action runs, so the error crosses the transporter already in its public form.
import type { Context, Middleware } from "moleculer";
import { StoreUnavailableError } from "../infra/store.ts";
import { storeUnavailableError } from "./errors.ts";

type Handler = (ctx: Context) => Promise<unknown>;

export const storeFaults = {
  name: "StoreFaults",
  localAction(next: Handler): Handler {
    return (ctx) => next(ctx).catch((error: unknown) => {
      throw error instanceof StoreUnavailableError ? storeUnavailableError() : error;
    });
  },
} as Middleware;
