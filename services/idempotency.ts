// Idempotency keys as Stripe honours them: the first request under a key runs and its outcome
// (result or client error) is stored; the same key with the same body replays that outcome;
// the same key with a different body is refused (422); a request still running under the key
// is refused (409) rather than run twice. Records live behind the store port, so any node of a
// cluster replays what another node stored. Records are kept for IDEMPOTENCY_RETENTION_MS
// (24 h by default, as Stripe keeps keys): the store expires the whole collection (see
// storeFor in app.ts), so a retry must come within that window to be recognised.
import { createHash } from "node:crypto";
import type { Store } from "../infra/store.ts";
import { ConflictError, MarqueeError, UnprocessableError } from "./errors.ts";

/** The store collection of idempotency records; it is given a retention where the store is built. */
export const IDEMPOTENCY_RECORDS = "idempotency";

/** A request that died mid-flight (its node crashed) stops blocking its key after this long. */
export const ABANDONED_AFTER_MS = 60_000;

type Outcome =
  | { state: "in_flight"; fingerprint: string; startedAt: number }
  | { state: "done"; fingerprint: string; result: unknown }
  | { state: "failed"; fingerprint: string; error: { name: string; message: string; code: number; type: string; data: unknown } };

/** Key order does not change a request's meaning, so it must not change its fingerprint. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export const fingerprintOf = (request: unknown): string => createHash("sha256").update(canonical(request)).digest("hex");

function replayError(stored: Extract<Outcome, { state: "failed" }>["error"]): MarqueeError {
  const error = new MarqueeError(stored.message, stored.code, stored.type, stored.data);
  error.name = stored.name;
  return error;
}

/**
 * Runs `run` at most once per (scope, key). Without a key it just runs. Only client errors
 * (4xx, decided outcomes) are stored; anything else, including a 4xx that asks to retry later,
 * frees the key so a retry can try again.
 */
export async function idempotent<T>(store: Store, scope: string, key: string | undefined, request: unknown, run: () => Promise<T>, now: () => number = Date.now): Promise<T> {
  if (key === undefined) return run();
  const id = `${scope}:${key}`;
  const fingerprint = fingerprintOf(request);
  const claim: Outcome = { state: "in_flight", fingerprint, startedAt: now() };

  const inFlight = () => new ConflictError("A request with this Idempotency-Key is still in progress; retry shortly", "IDEMPOTENCY_IN_FLIGHT", { key });
  if (!(await store.putIfAbsent<Outcome>(IDEMPOTENCY_RECORDS, id, claim))) {
    const existing = await store.get<Outcome>(IDEMPOTENCY_RECORDS, id);
    if (!existing) {
      // Freed between the two reads (its request failed): claim it afresh, like anyone else.
      if (!(await store.putIfAbsent<Outcome>(IDEMPOTENCY_RECORDS, id, claim))) throw inFlight();
    } else {
      if (existing.fingerprint !== fingerprint) {
        throw new UnprocessableError("This Idempotency-Key was already used with a different request; use a new key", "IDEMPOTENCY_KEY_REUSED", { key });
      }
      if (existing.state === "done") return existing.result as T;
      if (existing.state === "failed") throw replayError(existing.error);
      if (now() - existing.startedAt < ABANDONED_AFTER_MS) throw inFlight();
      // Abandoned: of the requests that find it so, only the first to mark that very claim as
      // taken over runs; the others are told it is in flight, as they would be a moment later.
      if (!(await store.putIfAbsent(IDEMPOTENCY_RECORDS, `${id}:taken-over:${existing.startedAt}`, true))) throw inFlight();
      await store.put<Outcome>(IDEMPOTENCY_RECORDS, id, claim);
    }
  }

  try {
    const result = await run();
    await store.put<Outcome>(IDEMPOTENCY_RECORDS, id, { state: "done", fingerprint, result });
    return result;
  } catch (error) {
    const e = error as Partial<MarqueeError>;
    // As Stripe does, an answer that only says "busy, retry later" (429, a hold being paid for)
    // is not the request's outcome: it is not stored, so the retry really runs.
    const retryLater = typeof (e.data as { retryAfter?: unknown } | undefined)?.retryAfter === "number";
    if (typeof e.code === "number" && e.code >= 400 && e.code < 500 && typeof e.type === "string" && !retryLater) {
      await store.put<Outcome>(IDEMPOTENCY_RECORDS, id, {
        state: "failed", fingerprint,
        error: { name: e.name ?? "MarqueeError", message: e.message ?? "", code: e.code, type: e.type, data: e.data ?? null },
      });
    } else {
      await store.remove(IDEMPOTENCY_RECORDS, id);
    }
    throw error;
  }
}
