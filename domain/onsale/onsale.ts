// On-sales: an admin puts one or more shows behind a waiting room from an opening time on.
// What an on-sale is, and which requests to schedule one are sound. Pure: time is a parameter.

/** Customers let in per minute, or "automatic": as many as the seats left can plausibly serve. */
export type AdmissionRate = { mode: "fixed"; perMinute: number } | { mode: "automatic" };

export interface OnSale {
  id: string;
  showIds: string[];
  /** Epoch ms. Customers who join before it are placed by lottery at this moment. */
  opensAt: number;
  rate: AdmissionRate;
  /** How long an admitted customer has to hold seats before their turn lapses. */
  windowMs: number;
  /** The most tickets one account may have per show (holds and bookings together). */
  maxPerAccount: number;
  /** Epoch ms after which the shows sell as if there were no on-sale; undefined: until they start. */
  closesAt?: number;
  /** When the last of its shows starts: nothing is left to sell after it. */
  endsAt: number;
  createdAt: number;
  createdBy: string;
}

export interface OnSaleRequest {
  shows: string[];
  opensAt: string;
  admissionRate: number | "automatic";
  finishWithinSeconds: number;
  maxTicketsPerAccount: number;
  closesAt?: string;
}

export type OnSaleRejection = { code: "INVALID_ONSALE"; message: string; field: string };

export const MAX_SHOWS_PER_ONSALE = 50;

const invalid = (field: string, message: string): { ok: false; rejection: OnSaleRejection } => ({ ok: false, rejection: { code: "INVALID_ONSALE", message, field } });

/**
 * Checks a request to schedule an on-sale. The caller checks that the shows exist and passes
 * when the last of them starts.
 */
export function planOnSale(request: OnSaleRequest, id: string, createdBy: string, now: number, endsAt: number): { ok: true; onsale: OnSale } | { ok: false; rejection: OnSaleRejection } {
  const showIds = [...new Set(request.shows)];
  if (showIds.length === 0) return invalid("shows", "Name at least one show");
  if (showIds.length > MAX_SHOWS_PER_ONSALE) return invalid("shows", `At most ${MAX_SHOWS_PER_ONSALE} shows per on-sale`);
  const opensAt = Date.parse(request.opensAt);
  if (Number.isNaN(opensAt)) return invalid("opensAt", "opensAt must be an ISO-8601 time, e.g. 2026-12-01T10:00:00Z");
  // An opening a little in the past is an on-sale that opens now, without a lottery; further
  // back it is a typo.
  if (opensAt < now - 60_000) return invalid("opensAt", "opensAt is in the past");
  if (opensAt >= endsAt) return invalid("opensAt", "opensAt must be before the shows start");
  const rate = request.admissionRate;
  if (rate !== "automatic" && !(Number.isInteger(rate) && rate >= 1 && rate <= 100_000)) {
    return invalid("admissionRate", "admissionRate is customers per minute (1-100000) or \"automatic\"");
  }
  const window = request.finishWithinSeconds;
  if (!(Number.isInteger(window) && window >= 30 && window <= 3_600)) return invalid("finishWithinSeconds", "finishWithinSeconds must be 30-3600");
  const max = request.maxTicketsPerAccount;
  if (!(Number.isInteger(max) && max >= 1 && max <= 100)) return invalid("maxTicketsPerAccount", "maxTicketsPerAccount must be 1-100");
  let closesAt: number | undefined;
  if (request.closesAt !== undefined) {
    closesAt = Date.parse(request.closesAt);
    if (Number.isNaN(closesAt) || closesAt <= opensAt) return invalid("closesAt", "closesAt must be an ISO-8601 time after opensAt");
  }
  return {
    ok: true,
    onsale: {
      id, showIds, opensAt, windowMs: window * 1000, maxPerAccount: max, createdAt: now, createdBy, endsAt,
      rate: rate === "automatic" ? { mode: "automatic" } : { mode: "fixed", perMinute: rate },
      ...(closesAt !== undefined ? { closesAt } : {}),
    },
  };
}

/** Whether holds on the on-sale's shows need a queue pass right now. */
export const inForce = (onsale: OnSale, now: number): boolean => now < (onsale.closesAt ?? onsale.endsAt);

/** The on-sale as clients see it. */
export function onsaleView(onsale: OnSale) {
  return {
    id: onsale.id,
    shows: onsale.showIds,
    opensAt: new Date(onsale.opensAt).toISOString(),
    admissionRate: onsale.rate.mode === "automatic" ? "automatic" : onsale.rate.perMinute,
    finishWithinSeconds: onsale.windowMs / 1000,
    maxTicketsPerAccount: onsale.maxPerAccount,
    ...(onsale.closesAt !== undefined ? { closesAt: new Date(onsale.closesAt).toISOString() } : {}),
    queueUrl: queueUrl(onsale.id),
  };
}

export const queueUrl = (onsaleId: string): string => `/api/onsales/${onsaleId}/queue`;
