// The page's one message region, titles and navigation.

const statusEl = () => document.getElementById("status");
const boxEl = () => statusEl().parentElement;

function say(message, tone) {
  const el = statusEl();
  // Emptied first so the same words are announced again when they repeat.
  el.textContent = "";
  boxEl().dataset.tone = tone;
  el.setAttribute("aria-live", tone === "error" ? "assertive" : "polite");
  requestAnimationFrame(() => { el.textContent = message; });
}

/**
 * Progress and outcomes ("Seats held", "Booking confirmed"): replaces whatever the region said.
 * `background` news (prices moved, a minute left) leaves an unread error in place.
 */
export function announce(message, { background = false } = {}) {
  if (background && boxEl().dataset.tone === "error" && statusEl().textContent) return;
  say(message, "info");
}

/** Something failed and the user should know why: replaces the region's message. */
export function showError(message) {
  say(message, "error");
}

export function clearMessages() {
  statusEl().textContent = "";
  boxEl().dataset.tone = "info";
}

/** The current message and its tone ("info" or "error"), for views that react to it. */
export const currentMessage = () => ({ text: statusEl().textContent, tone: boxEl().dataset.tone });

export function setTitle(title) {
  document.title = title ? `${title} · Marquee` : "Marquee: movie tickets";
}

let pending = null;
/** Goes to `hash`; `message` is announced once the new page is drawn. */
export function navigate(hash, { message, error } = {}) {
  pending = { message, error };
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

/** The message left by navigate(), taken once. */
export function takePending() {
  const p = pending;
  pending = null;
  return p;
}
