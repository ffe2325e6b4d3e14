// Page-level messages (one polite status region, one alert region), titles and navigation.

const statusEl = () => document.getElementById("status");
const alertEl = () => document.getElementById("alert");

/**
 * A polite message: progress and outcomes ("Seats held", "Booking confirmed"). The outcome of
 * something the user did clears an older error; `background` news (prices moved, a minute
 * left) leaves it in place.
 */
export function announce(message, { background = false } = {}) {
  const el = statusEl();
  // Emptied first so the same words are announced again when they repeat.
  el.textContent = "";
  requestAnimationFrame(() => { el.textContent = message; });
  if (message && !background) alertEl().textContent = "";
}

/** An assertive message: something failed and the user should know why. */
export function showError(message) {
  const el = alertEl();
  el.textContent = "";
  requestAnimationFrame(() => { el.textContent = message; });
}

export function clearMessages() {
  statusEl().textContent = "";
  alertEl().textContent = "";
}

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
