// The usher's page at the door, made for a phone: pick the show and name the door, then scan
// tickets' QR codes with the camera (jsQR, served from the jsqr npm package) or type a booking
// code. Each ticket is admitted once across every door; a second scan says when and where.
import { api, describeError, session } from "../api.js";
import { catalog } from "../catalog.js";
import { field, formError, h } from "../dom.js";
import { clock, dayLabel, todayYmd } from "../format.js";
import { announce, setTitle, showError } from "../ui.js";

const DOOR_KEY = "marquee.door";
const SCAN_PAUSE_MS = 2_500;

let jsqrLoading = null;
/** jsQR is a classic script (UMD): loaded once, on the first scan, never on other pages. */
function loadJsQr() {
  jsqrLoading ??= new Promise((resolve, reject) => {
    const script = h("script", { src: "/vendor/jsqr.js" });
    script.addEventListener("load", () => resolve(window.jsQR));
    script.addEventListener("error", () => { jsqrLoading = null; reject(new Error("The QR decoder could not be loaded")); });
    document.head.append(script);
  });
  return jsqrLoading;
}

export async function doorView(main, { query, active, onLeave }) {
  setTitle("Door");
  const heading = h("h1", { tabindex: "-1" }, "Admit tickets");
  main.append(heading);
  const user = session.user();
  if (!user || (user.role !== "usher" && user.role !== "admin")) {
    main.append(h("p", null, "This page is for ushers. An admin can make your account an usher; then log in again."));
    return;
  }

  // Today's shows, and the one a link names (#/door?show=<id>), which may be another day's.
  const wanted = query.get("show");
  const [cat, shows, named] = await Promise.all([
    catalog(),
    api("GET", `/shows?date=${todayYmd()}`),
    wanted ? api("GET", `/shows/${encodeURIComponent(wanted)}`).then((d) => [{
      id: d.id, localDate: d.localDate, startsAt: d.startsAt, endsAt: d.endsAt, movieTitle: d.movie.title, cinemaId: d.cinema.id, cinemaName: d.cinema.name, screenName: d.screen.name,
    }]).catch(() => []) : [],
  ]);
  if (!active()) return;
  const now = Date.now();
  const today = [...named, ...shows.filter((s) => s.id !== wanted && Date.parse(s.endsAt) > now).sort((a, b) => a.startsAt.localeCompare(b.startsAt))];
  if (!today.length) {
    main.append(h("p", null, "No more shows today."));
    return;
  }
  const show = h("select", { name: "show", "data-testid": "door-show" }, today.map((s) => {
    const tz = cat.cinema.get(s.cinemaId)?.timezone ?? "Asia/Kolkata";
    const day = s.localDate && s.localDate !== todayYmd() ? `${dayLabel(s.localDate)}, ` : "";
    return h("option", { value: s.id }, `${day}${clock(s.startsAt, tz)} · ${s.movieTitle} · ${s.cinemaName}, ${s.screenName}`);
  }));
  const door = h("input", { name: "door", "data-testid": "door-name", maxlength: "40", autocomplete: "off", value: localStorage.getItem(DOOR_KEY) ?? "Door 1" });
  door.addEventListener("change", () => localStorage.setItem(DOOR_KEY, door.value.trim() || "Door 1"));

  const result = h("section", { class: "door-result", "data-testid": "door-result", "aria-label": "Last ticket", hidden: true });
  const code = h("input", { name: "code", "data-testid": "door-code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false", placeholder: "MQ-7K3F9Q", maxlength: "20" });
  const error = formError("door-code-error");
  const admitButton = h("button", { type: "submit", class: "button button--primary", "data-testid": "door-admit" }, "Admit");
  const manual = h("form", { class: "form door-manual", novalidate: true }, field("Booking code", code, "For a ticket the camera cannot read."), error, h("div", { class: "actions" }, admitButton));

  async function admit(body) {
    const target = show.value;
    try {
      const admitted = await api("POST", `/shows/${encodeURIComponent(target)}/admissions`, { body: { ...body, door: door.value.trim() || "Door 1" } });
      const people = admitted.seats.length;
      result.dataset.outcome = "admitted";
      result.replaceChildren(
        h("p", { class: "door-verdict" }, `✓ Admit ${people} ${people === 1 ? "person" : "people"}`),
        h("p", null, h("strong", null, admitted.seats.join(", ")), ` · ${admitted.code}`));
      announce(`Admitted ${admitted.code}: ${people} ${people === 1 ? "person" : "people"}, seats ${admitted.seats.join(", ")}.`);
    } catch (err) {
      result.dataset.outcome = "refused";
      result.replaceChildren(h("p", { class: "door-verdict" }, "✗ Do not admit"), h("p", { "data-testid": "door-reason" }, describeError(err)));
      showError(`Do not admit: ${describeError(err)}`);
    }
    result.hidden = false;
  }

  manual.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    if (!code.value.trim()) {
      error.textContent = "Type the booking code from the ticket.";
      code.focus();
      return;
    }
    admitButton.disabled = true;
    await admit({ code: code.value.trim() });
    admitButton.disabled = false;
    code.value = "";
    code.focus();
  });

  // ---------- camera ----------
  const video = h("video", { class: "door-video", playsinline: true, muted: true, hidden: true, "aria-label": "Camera view" });
  const canvas = h("canvas", { hidden: true });
  const scan = h("button", { type: "button", class: "button", "data-testid": "scan-start" }, "Scan with camera");
  let stream = null;
  let pausedUntil = 0;
  let frame = 0;
  function stop() {
    cancelAnimationFrame(frame);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    scan.textContent = "Scan with camera";
  }
  async function start() {
    let jsQR;
    try {
      [jsQR, stream] = await Promise.all([loadJsQr(), navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })]);
    } catch (err) {
      announce(`The camera is not available (${err.message}): type the booking code instead.`);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    scan.textContent = "Stop camera";
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const tick = () => {
      if (!stream) return;
      if (video.readyState >= 2 && Date.now() >= pausedUntil) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        const found = jsQR(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, { inversionAttempts: "dontInvert" });
        if (found?.data) {
          // One answer per ticket shown: wait before reading the same code again.
          pausedUntil = Date.now() + SCAN_PAUSE_MS;
          admit({ payload: found.data });
        }
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
  }
  scan.addEventListener("click", () => (stream ? stop() : start()));
  if (!navigator.mediaDevices?.getUserMedia) scan.hidden = true;
  onLeave(stop);

  main.append(
    h("div", { class: "form door-setup" }, field("Show", show), field("Door", door)),
    result,
    h("div", { class: "door-scan" }, scan, video, canvas),
    manual);
}
