// The API client: JSON over fetch, the session (token) in localStorage, errors as ApiError with
// the server's own message.

const SESSION_KEY = "marquee.session";

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.message || `The server answered ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.type = body?.type ?? "ERROR";
    this.data = body?.data;
    this.retryAfter = retryAfter ? Number(retryAfter) : undefined;
  }
}

export const session = {
  get() {
    try {
      const s = JSON.parse(localStorage.getItem(SESSION_KEY) ?? "null");
      return s && typeof s.token === "string" && s.user ? s : null;
    } catch {
      return null;
    }
  },
  set(value) {
    localStorage.setItem(SESSION_KEY, JSON.stringify({ token: value.token, user: value.user }));
    window.dispatchEvent(new Event("marquee:session"));
  },
  clear() {
    localStorage.removeItem(SESSION_KEY);
    window.dispatchEvent(new Event("marquee:session"));
  },
  user() {
    return this.get()?.user ?? null;
  },
  isAdmin() {
    return this.get()?.user?.role === "admin";
  },
};

// Server clock minus ours, so hold countdowns follow the server's clock even when this
// machine's is off. Every server time seen (the Date header, rounded down to the second; a
// hold's heldAt) is a lower bound of the server's clock when it arrives: the offset is the
// largest such bound, so a countdown never shows more time than the server will give.
let clockOffset = null;
export const serverNow = () => Date.now() + (clockOffset ?? 0);
export function sawServerTime(ms) {
  if (!Number.isFinite(ms)) return;
  const bound = ms - Date.now();
  if (clockOffset === null || bound > clockOffset) clockOffset = bound;
}

/**
 * api("POST", "/shows/x/holds", {body, idempotencyKey}) -> parsed JSON, null for 204.
 * Throws ApiError carrying the server's {message, type, data}.
 */
export async function api(method, path, { body, idempotencyKey, signal } = {}) {
  const headers = { accept: "application/json" };
  const current = session.get();
  if (current) headers.authorization = `Bearer ${current.token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
  let res;
  try {
    res = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (error?.name === "AbortError") throw error;
    throw new ApiError(0, { message: "Marquee cannot be reached: check your connection and try again", type: "NETWORK" });
  }
  sawServerTime(Date.parse(res.headers.get("date") ?? ""));
  const text = res.status === 204 ? "" : await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    if (res.status === 401 && current) {
      session.clear();
      window.dispatchEvent(new CustomEvent("marquee:signed-out", { detail: { message: data?.message } }));
    }
    let message = data?.message;
    if (!message) message = res.status >= 500 ? "Something went wrong on our side; try again in a moment" : `The request failed (${res.status})`;
    throw new ApiError(res.status, { ...(data ?? {}), message }, res.headers.get("retry-after"));
  }
  return data;
}

/** A key for one user action (retries of the same action reuse it). */
export const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

/** Words for an error, with what to do about it where the type says more than the message. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return error?.message ?? String(error);
  if (error.status === 429 && error.retryAfter) return `${error.message} (try again in ${error.retryAfter} s)`;
  if (error.type === "SEAT_UNAVAILABLE" && Array.isArray(error.data?.seats)) {
    const reasons = { held: "held by someone else", booked: "already booked", unknown: "not on this screen", not_for_sale: "not for sale" };
    const list = error.data.seats.map((s) => `${s.seat} (${reasons[s.reason] ?? s.reason})`).join(", ");
    return `Just taken, so nothing was held: ${list}. Choose other seats.`;
  }
  if (error.type === "INVALID_LAYOUT" && Array.isArray(error.data?.problems)) {
    return `${error.message}: ${error.data.problems.map((p) => (p.row ? `row ${p.row}: ${p.message}` : p.message)).join("; ")}`;
  }
  return error.message;
}
