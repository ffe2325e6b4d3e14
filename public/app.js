// Marquee's web app: a hash router over plain ES modules, no framework and no build step.
//   #/                 movies and shows (filters: ?city=&date=&movie=)
//   #/show/:id         live seat map, hold, pay
//   #/queue/:id        an on-sale's waiting room
//   #/bookings         my bookings
//   #/ticket/:id       a paid booking's ticket (code, QR code, refund terms, receipt)
//   #/door             ushers admit tickets (camera or typed code)
//   #/login, #/signup  account
//   #/admin[/movie|/cinema|/show|/live/:id]   admin (role admin)
import { session } from "./js/api.js";
import { clear, h } from "./js/dom.js";
import { clearMessages, navigate, showError, announce, takePending } from "./js/ui.js";
import { adminView } from "./js/views/admin.js";
import { authView } from "./js/views/auth.js";
import { bookingsView } from "./js/views/bookings.js";
import { browseView } from "./js/views/browse.js";
import { showView } from "./js/views/show.js";
import { ticketView } from "./js/views/ticket.js";
import { doorView } from "./js/views/door.js";
import { queueView } from "./js/views/queue.js";

const main = document.getElementById("main");

function route(hash) {
  const [rawPath, rawQuery = ""] = hash.replace(/^#/, "").split("?");
  const path = rawPath.replace(/\/+$/, "") || "/";
  const query = new URLSearchParams(rawQuery);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { view: browseView, nav: "browse", query, params: {} };
  if (parts[0] === "show" && parts[1]) return { view: showView, nav: "browse", query, params: { id: parts[1] } };
  if (parts[0] === "ticket" && parts[1]) return { view: ticketView, nav: "bookings", query, params: { id: parts[1] } };
  if (parts[0] === "door") return { view: doorView, nav: "door", query, params: {} };
  if (parts[0] === "queue" && parts[1]) return { view: queueView, nav: "browse", query, params: { id: parts[1] } };
  if (parts[0] === "bookings") return { view: bookingsView, nav: "bookings", query, params: {} };
  if (parts[0] === "login" || parts[0] === "signup") return { view: (m, c) => authView(m, { ...c, mode: parts[0] }), nav: parts[0], query, params: {} };
  if (parts[0] === "admin") {
    if (parts[1] === "live" && parts[2]) return { view: adminView, nav: "admin", query, params: { section: "live", id: parts[2] } };
    return { view: adminView, nav: "admin", query, params: { section: parts[1] ?? "" } };
  }
  return { view: notFound, nav: null, query, params: {} };
}

function notFound(m) {
  m.append(h("h1", { tabindex: "-1" }, "Page not found"), h("p", null, h("a", { href: "#/" }, "Back to movies")));
}

let leaving = [];
let generation = 0;
let first = true;

async function render() {
  for (const fn of leaving) {
    try { fn(); } catch { /* a view's cleanup never blocks the next page */ }
  }
  leaving = [];
  const mine = ++generation;
  const r = route(location.hash || "#/");
  const pending = takePending();
  clearMessages();
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === r.nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  clear(main);
  main.setAttribute("aria-busy", "true");
  const ctx = {
    params: r.params,
    query: r.query,
    active: () => mine === generation,
    onLeave: (fn) => leaving.push(fn),
  };
  try {
    await r.view(main, ctx);
  } catch (err) {
    if (mine === generation) showError(err?.message ?? String(err));
    console.error(err);
  }
  if (mine !== generation) return;
  main.removeAttribute("aria-busy");
  if (pending?.message) announce(pending.message);
  if (pending?.error) showError(pending.error);
  // Moving focus to the new page's heading tells screen readers the page changed.
  if (!first) (main.querySelector("h1") ?? main).focus({ preventScroll: false });
  first = false;
}

function renderAccount() {
  const user = session.user();
  document.querySelectorAll("[data-signed-out]").forEach((el) => { el.hidden = !!user; });
  document.querySelectorAll("[data-signed-in]").forEach((el) => { el.hidden = !user; });
  document.querySelectorAll("[data-admin-only]").forEach((el) => { el.hidden = user?.role !== "admin"; });
  document.querySelectorAll("[data-usher-only]").forEach((el) => { el.hidden = user?.role !== "usher" && user?.role !== "admin"; });
  const who = document.querySelector("[data-testid=user-name]");
  who.hidden = !user;
  who.textContent = user ? `${user.name}${user.role === "customer" ? "" : ` (${user.role})`}` : "";
}

document.querySelector("[data-testid=nav-logout]").addEventListener("click", () => {
  session.clear();
  navigate("#/", { message: "You are signed out." });
});

window.addEventListener("marquee:session", renderAccount);
window.addEventListener("marquee:signed-out", () => {
  const here = location.hash || "#/";
  if (!here.startsWith("#/login")) navigate(`#/login?next=${encodeURIComponent(here)}`, { error: "Your session ended: log in again to continue." });
});
// Another tab logged in or out.
window.addEventListener("storage", (e) => {
  if (e.key === "marquee.session") {
    renderAccount();
    render();
  }
});
window.addEventListener("hashchange", () => {
  // In-page anchors (the skip link) are not routes.
  if (location.hash === "" || location.hash.startsWith("#/")) render();
});
document.querySelector("[data-testid=dismiss-message]").addEventListener("click", () => {
  clearMessages();
  main.focus();
});
document.querySelector(".skip-link").addEventListener("click", (e) => {
  e.preventDefault();
  main.focus();
});

renderAccount();
render();
