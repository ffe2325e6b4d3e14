// The waiting room of an on-sale (#/queue/:onsaleId): join, a countdown to the opening, then the
// place, how many are ahead, an honest estimated wait and the seats left, live over server-sent
// events (polling when they are not available), and the pass when it is your turn. Everything
// shown comes from the server, so a reload or another device shows the same place.
import { api, describeError, serverNow, session } from "../api.js";
import { busy, h } from "../dom.js";
import { countdown } from "../format.js";
import { announce, setTitle, showError } from "../ui.js";

const POLL_MS = 5_000;
const PASS_KEY = (showId) => `marquee.queuePass.${showId}`;

/** The queue pass this browser holds for a show, if still valid: the show page sends it with a hold. */
export function queuePassFor(showId) {
  try {
    const saved = JSON.parse(localStorage.getItem(PASS_KEY(showId)) ?? "null");
    return saved && Date.parse(saved.expiresAt) > serverNow() ? { queuePass: saved.pass } : {};
  } catch {
    return {};
  }
}

function keepPass(position) {
  for (const showId of position.shows) localStorage.setItem(PASS_KEY(showId), JSON.stringify({ pass: position.pass, expiresAt: position.passExpiresAt }));
}

const waitText = (seconds) => {
  if (seconds === null || seconds === undefined) return "Not known right now: every free seat is being held, and seats may come back";
  if (seconds < 60) return "Less than a minute";
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `About ${minutes} minute${minutes === 1 ? "" : "s"}` : `About ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
};

export async function queueView(main, { params, active, onLeave }) {
  const onsaleId = params.id;
  setTitle("Waiting room");
  const heading = h("h1", { tabindex: "-1" }, "Waiting room");
  const panel = h("section", { class: "queue", "aria-live": "polite", "data-testid": "queue-panel" });
  main.append(heading, panel);
  if (!session.user()) {
    panel.append(h("p", null, h("a", { href: `#/login?next=${encodeURIComponent(`#/queue/${onsaleId}`)}` }, "Log in"), " to join the queue. Your place is kept for your account, on any device."));
    return;
  }

  let position = null;
  let latest = null;
  let stream = null;
  let poll = null;
  let tickTimer = null;
  const stop = () => {
    stream?.close();
    clearInterval(poll);
    clearInterval(tickTimer);
  };
  onLeave(stop);

  async function refresh() {
    try {
      const next = await api("GET", `/onsales/${encodeURIComponent(onsaleId)}/queue`);
      if (!active()) return;
      if (next.status === "admitted" && position?.status !== "admitted") announce("It is your turn: choose your seats now.");
      if (next.status === "sold_out" && position?.status !== "sold_out") announce("Sold out.");
      position = next;
      if (position.status === "admitted") keepPass(position);
      // The stream can run a moment ahead of what the server's gateway has read: ask again shortly.
      if (position.status === "waiting" && latest && position.place <= latest.admitted) setTimeout(refresh, 500);
      render();
    } catch (err) {
      if (active()) showError(describeError(err));
    }
  }

  function line(label, value, testid) {
    return h("div", { class: "queue__line" }, h("dt", null, label), h("dd", { "data-testid": testid }, value));
  }

  function render() {
    const p = position;
    panel.replaceChildren();
    if (!p) return;
    const seats = p.seatsLeft === null || p.seatsLeft === undefined ? "—" : String(p.seatsLeft);
    if (p.status === "not_in_queue" || p.status === "lapsed") {
      const join = h("button", { type: "button", class: "button", "data-testid": "queue-join" }, p.status === "lapsed" ? "Join again" : "Join the queue");
      join.addEventListener("click", () => busy(join, async () => {
        try {
          position = await api("POST", `/onsales/${encodeURIComponent(onsaleId)}/queue`);
          render();
          announce("You are in the queue.");
        } catch (err) {
          showError(describeError(err));
        }
      }, "Joining…"));
      panel.append(
        h("p", null, p.status === "lapsed" ? "Your turn ran out before you held seats. You can join again, at the back of the queue." : "Tickets for these shows sell through this waiting room. Join once; your place is kept for your account on every device."),
        join,
      );
      return;
    }
    if (p.status === "prequeue") {
      const left = h("strong", { "data-testid": "queue-countdown" }, countdown(Date.parse(p.opensAt) - serverNow()));
      panel.append(
        h("p", null, "You are in. When the sale opens everyone already here gets a random place, so there is no need to hurry or refresh."),
        h("p", null, "Opens in ", left),
      );
      return;
    }
    if (p.status === "waiting") {
      panel.append(h("dl", { class: "queue__facts" },
        line("Your place", String(p.place), "queue-place"),
        line("Ahead of you", String(p.ahead), "queue-ahead"),
        line("Estimated wait", waitText(p.estimatedWaitSeconds), "queue-wait"),
        line("Seats left", seats, "queue-seats")),
        h("p", null, "Keep this page open or come back later: your place is kept."));
      return;
    }
    if (p.status === "admitted") {
      panel.append(
        h("p", { "data-testid": "queue-admitted" }, h("strong", null, "It is your turn. "), `Hold your seats within `, h("strong", { "data-testid": "queue-pass-left" }, countdown(Date.parse(p.passExpiresAt) - serverNow())), "."),
        h("ul", null, p.shows.map((showId) => h("li", null, h("a", { href: `#/show/${encodeURIComponent(showId)}`, "data-testid": "queue-show" }, "Choose seats")))),
      );
      return;
    }
    if (p.status === "sold_out") panel.append(h("p", { "data-testid": "queue-sold-out" }, "Sold out: every seat is booked. Seats sometimes come back if a booking is cancelled; this page will tell you."));
  }

  /** What every watcher hears: move this customer's standing along without asking the server each time. */
  function onQueue(snapshot) {
    latest = snapshot;
    if (!position || !active()) return;
    const p = position;
    const wasScheduled = p.status === "prequeue";
    if ((wasScheduled && snapshot.status !== "scheduled") || (p.place && p.place <= snapshot.admitted && p.status === "waiting") || (snapshot.status === "sold_out") !== (p.status === "sold_out")) {
      refresh();
      return;
    }
    if (p.status === "waiting") {
      const ahead = Math.max(0, p.place - snapshot.admitted - 1);
      const perMinute = snapshot.admittedPerMinute;
      position = { ...p, ahead, seatsLeft: snapshot.seatsLeft, estimatedWaitSeconds: snapshot.status === "open" && perMinute > 0 ? Math.ceil(((ahead + 1) / perMinute) * 60) : null };
      render();
    }
  }

  await refresh();
  if (!active()) return;
  // Countdowns move every second without a request.
  tickTimer = setInterval(() => {
    if (position?.status === "prequeue" && Date.parse(position.opensAt) <= serverNow() - 1_500) refresh();
    else if (position?.status === "prequeue" || position?.status === "admitted") render();
  }, 1_000);
  if (typeof EventSource === "function") {
    stream = new EventSource(`/api/onsales/${encodeURIComponent(onsaleId)}/queue/events`);
    stream.addEventListener("queue", (e) => onQueue(JSON.parse(e.data)));
    // Without the stream (a proxy that buffers, a dropped connection) the page polls until it is back.
    stream.addEventListener("error", () => { poll ??= setInterval(refresh, POLL_MS); });
    stream.addEventListener("open", () => { clearInterval(poll); poll = null; });
  } else {
    poll = setInterval(refresh, POLL_MS);
  }
}
