// The page's one message region, titles, navigation, and asking before destructive actions.
import { h, uid } from "./dom.js";

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

/**
 * Asks before something that cannot be undone: `slot` shows the question with "keep" (focused,
 * the safe default) and "yes"; keep puts `original` back, yes calls onYes(yesButton).
 */
export function askFirst(slot, original, { question, yes, no, yesTestid, noTestid, onYes }) {
  const yesButton = h("button", { type: "button", class: "button button--danger", "data-testid": yesTestid }, yes);
  const noButton = h("button", { type: "button", class: "button button--quiet", "data-testid": noTestid }, no);
  const asked = h("p", { id: uid("ask") }, question);
  noButton.addEventListener("click", () => {
    slot.replaceChildren(original);
    original.focus();
  });
  yesButton.addEventListener("click", () => onYes(yesButton));
  slot.replaceChildren(h("div", { role: "group", "aria-labelledby": asked.id }, asked, h("div", { class: "actions" }, noButton, yesButton)));
  noButton.focus();
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
