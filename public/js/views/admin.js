// Admin: shows with live occupancy and revenue, one show watched live, and forms to create
// movies, cinemas (screens with a text seat layout) and shows.
import { api, describeError, session } from "../api.js";
import { catalog, dropCatalog } from "../catalog.js";
import { busy, field, formError, h, uid } from "../dom.js";
import { addDaysYmd, clock, dateTime, dayLabel, money, todayYmd, zonedToIso } from "../format.js";
import { expandLayout, layoutCategories, parseLayoutText } from "../layout-text.js";
import { createSeatMap, seatLegend } from "../seatmap.js";
import { announce, setTitle, showError } from "../ui.js";
import { pricingView } from "./pricing.js";
import { reviewsAdmin } from "./reviews.js";

const ZONES = ["Asia/Kolkata", "Asia/Dubai", "Asia/Singapore", "Europe/London", "America/New_York", "UTC"];
const SECTIONS = [
  ["", "Shows and revenue"],
  ["movie", "New movie"],
  ["cinema", "New cinema"],
  ["show", "New show"],
  ["pricing", "Pricing"],
  ["reviews", "Reviews"],
];

export async function adminView(main, ctx) {
  const { params } = ctx;
  const section = params.section ?? "";
  if (!session.isAdmin()) {
    setTitle("Admin");
    main.append(h("h1", { tabindex: "-1" }, "Admin"),
      h("p", null, session.user() ? "This page needs the admin role." : "Log in with an admin account to manage the catalog. ",
        session.user() ? null : h("a", { href: `#/login?next=${encodeURIComponent(location.hash)}` }, "Log in")));
    return;
  }
  main.append(h("nav", { class: "subnav", "aria-label": "Admin" },
    h("ul", null, SECTIONS.map(([key, label]) => h("li", null,
      h("a", { href: `#/admin${key ? `/${key}` : ""}`, "aria-current": key === section ? "page" : null, "data-testid": `admin-nav-${key || "shows"}` }, label))))));
  if (section === "live") return liveView(main, ctx);
  if (section === "movie") return movieForm(main);
  if (section === "cinema") return cinemaForm(main);
  if (section === "show") return showForm(main, ctx);
  if (section === "pricing") return pricingView(main, ctx);
  if (section === "reviews") return reviewsAdmin(main);
  return dashboard(main, ctx);
}

// ---------- dashboard ----------

async function dashboard(main, { query, active }) {
  setTitle("Admin: shows");
  const heading = h("h1", { tabindex: "-1" }, "Shows and revenue");
  main.append(heading);
  let cat;
  try {
    cat = await catalog();
  } catch (err) {
    showError(describeError(err));
    return;
  }
  if (!active()) return;
  const today = todayYmd();
  const date = h("select", { "data-testid": "admin-filter-date" },
    Array.from({ length: 7 }, (_, i) => addDaysYmd(today, i)).map((d) => h("option", { value: d }, dayLabel(d))));
  const city = h("select", { "data-testid": "admin-filter-city" }, h("option", { value: "" }, "All cities"), cat.cities.map((c) => h("option", { value: c }, c)));
  date.value = /^\d{4}-\d{2}-\d{2}$/.test(query.get("date") ?? "") ? query.get("date") : today;
  if (![...date.options].some((o) => o.value === date.value)) date.append(h("option", { value: date.value }, dayLabel(date.value)));
  city.value = cat.cities.includes(query.get("city")) ? query.get("city") : "";
  const filters = h("form", { class: "filters", "aria-label": "Filter shows" }, field("Date", date), field("City", city));
  filters.addEventListener("submit", (e) => e.preventDefault());
  filters.addEventListener("change", () => {
    const q = new URLSearchParams({ date: date.value });
    if (city.value) q.set("city", city.value);
    history.replaceState(null, "", `#/admin?${q}`);
    load();
  });
  const tableSlot = h("div", { class: "table-wrap", "data-testid": "admin-shows" });
  main.append(filters, tableSlot);

  async function load() {
    tableSlot.setAttribute("aria-busy", "true");
    const q = new URLSearchParams({ date: date.value });
    if (city.value) q.set("city", city.value);
    let shows;
    try {
      shows = await api("GET", `/shows?${q}`);
    } catch (err) {
      tableSlot.replaceChildren(h("p", null, describeError(err)));
      return;
    }
    if (!active()) return;
    shows.sort((a, b) => a.startsAt.localeCompare(b.startsAt) || a.cinemaName.localeCompare(b.cinemaName));
    if (!shows.length) {
      tableSlot.replaceChildren(h("p", null, `No shows on ${dayLabel(date.value)}.`));
      tableSlot.removeAttribute("aria-busy");
      return;
    }
    const totals = new Map();
    const totalCell = h("td", { class: "num", "data-testid": "admin-total-revenue" }, "…");
    const rows = shows.map((s) => {
      const tz = cat.cinema.get(s.cinemaId)?.timezone ?? "Asia/Kolkata";
      const cells = { occ: h("td", null, "…"), held: h("td", { class: "num" }), booked: h("td", { class: "num" }), bookings: h("td", { class: "num" }), revenue: h("td", { class: "num" }) };
      const tr = h("tr", { "data-testid": "admin-show-row", "data-show-id": s.id },
        h("th", { scope: "row" }, h("a", { href: `#/admin/live/${encodeURIComponent(s.id)}`, "aria-label": `Watch ${s.movieTitle} at ${s.cinemaName}, ${clock(s.startsAt, tz)} live` }, s.movieTitle)),
        h("td", null, `${s.cinemaName} · ${s.screenName}`),
        h("td", null, clock(s.startsAt, tz)),
        cells.occ, cells.booked, cells.held, cells.bookings, cells.revenue);
      return { show: s, tr, cells };
    });
    const table = h("table", { class: "data" },
      h("caption", null, `Shows on ${dayLabel(date.value)}${city.value ? ` in ${city.value}` : ""}: occupancy and revenue`),
      h("thead", null, h("tr", null, ["Movie", "Cinema and screen", "Starts", "Occupancy", "Booked", "Held", "Bookings", "Revenue"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, rows.map((r) => r.tr)),
      h("tfoot", null, h("tr", null, h("th", { scope: "row", colspan: "7" }, "Total revenue"), totalCell)));
    tableSlot.replaceChildren(table);
    tableSlot.removeAttribute("aria-busy");

    // Stats per show, a few at a time.
    let next = 0;
    const worker = async () => {
      while (next < rows.length && active()) {
        const r = rows[next++];
        try {
          const s = await api("GET", `/admin/shows/${encodeURIComponent(r.show.id)}/stats`);
          fillStats(r.cells, s, r.show.currency);
          totals.set(r.show.id, s.revenue ?? {});
        } catch (err) {
          r.cells.occ.textContent = describeError(err);
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    const sum = {};
    for (const rev of totals.values()) for (const [cur, v] of Object.entries(rev)) sum[cur] = (sum[cur] ?? 0) + v;
    totalCell.textContent = Object.entries(sum).map(([cur, v]) => money(v, cur)).join(", ") || money(0);
  }
  await load();
}

function occupancyOf(s) {
  return s.forSale ? Math.round(((s.booked + s.held) / s.forSale) * 100) : 0;
}

function fillStats(cells, s, currency) {
  const pct = occupancyOf(s);
  cells.occ.replaceChildren(h("meter", { min: "0", max: String(s.forSale), value: String(s.booked + s.held), "aria-label": `${pct}% taken` }), ` ${pct}%`);
  cells.booked.textContent = String(s.booked);
  cells.held.textContent = String(s.held);
  cells.bookings.textContent = String(s.bookings);
  cells.revenue.textContent = money(s.revenue?.[currency] ?? 0, currency);
}

// ---------- one show, live ----------

async function liveView(main, { params, active, onLeave }) {
  const showId = params.id;
  setTitle("Admin: live show");
  let show;
  try {
    show = await api("GET", `/shows/${encodeURIComponent(showId)}`);
  } catch (err) {
    main.append(h("h1", { tabindex: "-1" }, "Show not found"), h("p", null, describeError(err)));
    return;
  }
  if (!active()) return;
  const tz = show.cinema.timezone;
  setTitle(`Admin: ${show.movie.title} live`);
  const map = createSeatMap(show.seats, { currency: show.currency, interactive: false, testid: "admin-seat-map", label: `Seats of ${show.screen.name}` });
  const stat = (key, label) => {
    const dd = h("dd", { "data-testid": `stat-${key}` }, "…");
    return { key, el: h("div", { class: "stat" }, h("dt", null, label), dd), dd };
  };
  const stats = [stat("occupancy", "Occupancy"), stat("booked", "Booked"), stat("held", "Held"), stat("available", "Available"), stat("forSale", "For sale"), stat("bookings", "Bookings"), stat("revenue", "Revenue")];
  const updated = h("p", { class: "muted", "data-testid": "stats-updated" }, "");
  const liveText = h("span", null, "Connecting…");
  const live = h("p", { class: "live", "data-testid": "live-status", "data-state": "connecting" }, h("span", { class: "dot", "aria-hidden": "true" }), liveText);
  main.append(
    h("h1", { tabindex: "-1" }, `${show.movie.title}: live`),
    h("p", { class: "where" }, h("strong", null, dateTime(show.startsAt, tz)), ` · ${show.cinema.name}, ${show.cinema.city} · ${show.screen.name} · `,
      h("a", { href: `#/show/${encodeURIComponent(showId)}` }, "customer view")),
    live,
    h("dl", { class: "stats", "data-testid": "admin-stats" }, stats.map((s) => s.el)),
    updated,
    seatLegend({ withSelection: false }),
    map.el);

  let version = show.version ?? 0;
  let loading = false;
  let again = false;
  let timer;
  async function refresh() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      const s = await api("GET", `/admin/shows/${encodeURIComponent(showId)}/stats`);
      if (!active()) return;
      const values = {
        occupancy: `${occupancyOf(s)}%`, booked: s.booked, held: s.held, available: s.available, forSale: s.forSale, bookings: s.bookings,
        revenue: money(s.revenue?.[show.currency] ?? 0, show.currency),
      };
      for (const x of stats) x.dd.textContent = String(values[x.key]);
      updated.textContent = `Updated ${new Date().toLocaleTimeString("en-IN", { hour12: false })}`;
    } catch (err) {
      showError(describeError(err));
    } finally {
      loading = false;
      if (again && active()) {
        again = false;
        timer = setTimeout(refresh, 250);
      }
    }
  }
  // Bursts of seat changes refresh the numbers at most about 4 times a second.
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  };

  const es = new EventSource(`/api/shows/${encodeURIComponent(showId)}/events`);
  const parse = (e) => { try { return JSON.parse(e.data); } catch { return null; } };
  const apply = (d) => {
    if (!d || d.version < version) return;
    version = d.version;
    for (const [id, status] of Object.entries(d.seats)) map.setStatus(id, status);
    soon();
  };
  es.addEventListener("snapshot", (e) => apply(parse(e)));
  es.addEventListener("seats", (e) => apply(parse(e)));
  es.addEventListener("prices", () => announce("Prices for this show moved.", { background: true }));
  es.onopen = () => { live.dataset.state = "live"; liveText.textContent = "Live: numbers update on every seat change"; };
  es.onerror = () => {
    live.dataset.state = es.readyState === EventSource.CLOSED ? "closed" : "reconnecting";
    liveText.textContent = es.readyState === EventSource.CLOSED ? "Live updates stopped: reload the page" : "Reconnecting…";
  };
  onLeave(() => {
    es.close();
    clearTimeout(timer);
  });
  await refresh();
}

// ---------- new movie ----------

async function movieForm(main) {
  setTitle("Admin: new movie");
  // The server's list of certificates, so the form offers exactly what it accepts.
  const ratings = await api("GET", "/ratings");
  const title = h("input", { required: true, maxlength: "200", "data-testid": "movie-title" });
  const minutes = h("input", { type: "number", min: "1", max: "600", required: true, inputmode: "numeric", "data-testid": "movie-duration" });
  const rating = h("select", { "data-testid": "movie-rating" }, ratings.map((r) => h("option", { value: r }, r)));
  const languages = h("input", { required: true, "data-testid": "movie-languages" });
  const genres = h("input", { "data-testid": "movie-genres" });
  const synopsis = h("textarea", { rows: "3", maxlength: "2000", "data-testid": "movie-synopsis" });
  // Uploaded to our own origin (checked there by its bytes), never hot-linked from elsewhere.
  const poster = h("input", { type: "file", accept: "image/png,image/jpeg,image/webp", "data-testid": "movie-poster" });
  const submit = h("button", { type: "submit", class: "button button--primary", "data-testid": "movie-submit" }, "Create movie");
  const error = formError("movie-error");
  const done = h("div", { "data-testid": "movie-created" });
  const words = (v) => v.split(",").map((s) => s.trim()).filter(Boolean);
  const form = h("form", { class: "card form", novalidate: true, "aria-labelledby": "movie-h" },
    field("Title", title), field("Running time (minutes)", minutes), field("Certificate", rating),
    field("Languages", languages, "Comma separated, e.g. Hindi, English."), field("Genres", genres, "Comma separated, optional."),
    field("Synopsis", synopsis), field("Poster image", poster, "Optional: PNG, JPEG or WebP, up to 300 KB. Without one, a poster is drawn from the title."), error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const problems = [];
    if (!title.value.trim()) problems.push([title, "a title"]);
    if (!(Number(minutes.value) >= 1 && Number(minutes.value) <= 600 && Number.isInteger(Number(minutes.value)))) problems.push([minutes, "the running time in whole minutes (1-600)"]);
    if (!words(languages.value).length) problems.push([languages, "at least one language"]);
    if (problems.length) {
      error.textContent = `Enter ${problems.map((p) => p[1]).join(", ")}.`;
      problems[0][0].focus();
      return;
    }
    const body = { title: title.value.trim(), durationMinutes: Number(minutes.value), rating: rating.value, languages: words(languages.value), genres: words(genres.value) };
    if (synopsis.value.trim()) body.synopsis = synopsis.value.trim();
    const image = poster.files?.[0];
    if (image && (image.size > 300 * 1024 || !["image/png", "image/jpeg", "image/webp"].includes(image.type))) {
      error.textContent = "The poster must be a PNG, JPEG or WebP image of at most 300 KB.";
      poster.focus();
      return;
    }
    try {
      const movie = await busy(submit, async () => {
        const made = await api("POST", "/admin/movies", { body });
        if (image) {
          const bytes = new Uint8Array(await image.arrayBuffer());
          let binary = "";
          for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
          await api("PUT", `/admin/posters/${encodeURIComponent(made.id)}`, { body: { image: btoa(binary) } });
        }
        return made;
      }, "Creating…");
      dropCatalog();
      form.reset();
      done.replaceChildren(h("p", { class: "success" }, `Created ${movie.title} (${movie.id}). `, h("a", { href: "#/admin/show" }, "Schedule a show")));
      announce(`Movie ${movie.title} created.`);
    } catch (err) {
      error.textContent = describeError(err);
    }
  });
  main.append(h("h1", { id: "movie-h", tabindex: "-1" }, "New movie"), form, done);
}

// ---------- new cinema ----------

const EXAMPLE_LAYOUT = `# row  category  seats (s seat, _ gap, x not for sale)
A-D standard ssss_ssssssss_ssss
E-F premium  ssss_ssssssss_ssss
G   recliner ss_ss__ss_ss`;

function screenEditor(index, onRemove) {
  const name = h("input", { required: true, maxlength: "60", value: `Screen ${index}`, "data-testid": "screen-name" });
  const layout = h("textarea", { rows: "7", spellcheck: "false", class: "mono", "data-testid": "screen-layout" });
  layout.value = EXAMPLE_LAYOUT;
  const problems = h("ul", { class: "problems", id: uid("problems"), "data-testid": "layout-problems" });
  const summary = h("p", { class: "muted", id: uid("summary") });
  layout.setAttribute("aria-describedby", `${problems.id} ${summary.id}`);
  const preview = h("div", { class: "layout-preview", "aria-hidden": "true" });
  const legend = h("legend", null, `Screen ${index}`);
  const remove = h("button", { type: "button", class: "button button--quiet button--small" }, "Remove this screen");
  remove.addEventListener("click", onRemove);
  const box = h("fieldset", { class: "screen-editor" }, legend,
    field("Screen name", name),
    field("Seat layout", layout, "One line per row: ROW CATEGORY SEATS, e.g. \"A standard sssss_sssss\". s = seat, _ = aisle or gap, x = seat not for sale. B-F repeats a row for rows B to F. Rows go from the screen to the back."),
    summary, problems, preview, remove);
  let parsed = null;
  const check = () => {
    parsed = parseLayoutText(layout.value);
    problems.replaceChildren(...parsed.problems.map((p) => h("li", null, p.message)));
    layout.toggleAttribute("aria-invalid", parsed.problems.length > 0);
    if (parsed.layout) {
      const seats = expandLayout(parsed.layout);
      summary.textContent = `${parsed.layout.rows.length} rows, ${seats.filter((s) => s.forSale).length} seats for sale; categories: ${layoutCategories(parsed.layout).join(", ")}.`;
      preview.replaceChildren(createSeatMap(seats.map((s) => ({ ...s, status: s.forSale ? "available" : "not_for_sale", price: null })), { interactive: false, mini: true, testid: "layout-preview" }).el);
    } else {
      summary.textContent = "";
      preview.replaceChildren();
    }
  };
  let t;
  layout.addEventListener("input", () => { clearTimeout(t); t = setTimeout(check, 150); });
  check();
  return {
    el: box,
    renumber(i) { legend.textContent = `Screen ${i}`; },
    value() {
      check();
      return { name: name.value.trim(), layout: parsed.layout, problems: parsed.problems, nameEl: name, layoutEl: layout };
    },
    showServerProblems(list) {
      problems.replaceChildren(...list.map((p) => h("li", null, p.row ? `row ${p.row}: ${p.message}` : p.message)));
      layout.setAttribute("aria-invalid", "true");
    },
  };
}

function cinemaForm(main) {
  setTitle("Admin: new cinema");
  const name = h("input", { required: true, maxlength: "120", "data-testid": "cinema-name" });
  const city = h("input", { required: true, maxlength: "80", "data-testid": "cinema-city" });
  const zoneList = h("datalist", { id: uid("zones") }, ZONES.map((z) => h("option", { value: z })));
  const timezone = h("input", { required: true, list: zoneList.id, value: "Asia/Kolkata", "data-testid": "cinema-timezone" });
  const address = h("input", { maxlength: "300", "data-testid": "cinema-address" });
  const screensEl = h("div", { class: "screens" });
  const editors = [];
  const addScreen = () => {
    const editor = screenEditor(editors.length + 1, () => {
      if (editors.length === 1) {
        showError("A cinema needs at least one screen.");
        return;
      }
      editors.splice(editors.indexOf(editor), 1);
      editor.el.remove();
      editors.forEach((e, i) => e.renumber(i + 1));
      announce("Screen removed.");
      addButton.focus();
    });
    editors.push(editor);
    screensEl.append(editor.el);
    return editor;
  };
  const addButton = h("button", { type: "button", class: "button button--quiet", "data-testid": "add-screen" }, "Add another screen");
  addButton.addEventListener("click", () => {
    const e = addScreen();
    e.el.querySelector("input").focus();
  });
  addScreen();
  const submit = h("button", { type: "submit", class: "button button--primary", "data-testid": "cinema-submit" }, "Create cinema");
  const error = formError("cinema-error");
  const done = h("div", { "data-testid": "cinema-created" });
  const form = h("form", { class: "card form", novalidate: true, "aria-labelledby": "cinema-h" },
    field("Cinema name", name), field("City", city), field("Time zone", timezone, "IANA name; shows are listed by the cinema's local date."), zoneList,
    field("Address", address, "Optional."),
    h("h2", null, "Screens"), screensEl, h("p", null, addButton), error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const screens = editors.map((ed) => ed.value());
    const missing = [[name, "the cinema's name"], [city, "the city"], [timezone, "a time zone"]].filter(([el]) => !el.value.trim());
    const bad = screens.find((s) => !s.name || s.problems.length);
    if (missing.length) {
      error.textContent = `Enter ${missing.map((m) => m[1]).join(", ")}.`;
      missing[0][0].focus();
      return;
    }
    if (bad) {
      error.textContent = !bad.name ? "Every screen needs a name." : `Fix the layout of ${bad.name}: ${bad.problems.map((p) => p.message).join("; ")}`;
      (!bad.name ? bad.nameEl : bad.layoutEl).focus();
      return;
    }
    const body = { name: name.value.trim(), city: city.value.trim(), timezone: timezone.value.trim(), screens: screens.map((s) => ({ name: s.name, layout: s.layout })) };
    if (address.value.trim()) body.address = address.value.trim();
    try {
      const cinema = await busy(submit, () => api("POST", "/admin/cinemas", { body }), "Creating…");
      dropCatalog();
      done.replaceChildren(h("p", { class: "success" }, `Created ${cinema.name} in ${cinema.city} with ${cinema.screens.length} screen${cinema.screens.length === 1 ? "" : "s"} (${cinema.id}). `,
        h("a", { href: `#/admin/show?cinema=${encodeURIComponent(cinema.id)}` }, "Schedule a show")));
      announce(`Cinema ${cinema.name} created.`);
    } catch (err) {
      if (err.type === "INVALID_LAYOUT" && err.data?.problems) {
        const ed = editors.find((x) => x.value().name === err.data.screen);
        ed?.showServerProblems(err.data.problems);
      }
      error.textContent = describeError(err);
    }
  });
  main.append(h("h1", { id: "cinema-h", tabindex: "-1" }, "New cinema"), form, done);
}

// ---------- new show ----------

async function showForm(main, { query, active }) {
  setTitle("Admin: new show");
  main.append(h("h1", { id: "show-h", tabindex: "-1" }, "New show"));
  let cat;
  try {
    cat = await catalog(true);
  } catch (err) {
    showError(describeError(err));
    return;
  }
  if (!active()) return;
  const movie = h("select", { required: true, "data-testid": "show-movie" }, cat.movies.map((m) => h("option", { value: m.id }, `${m.title} (${m.durationMinutes} min)`)));
  const cinema = h("select", { required: true, "data-testid": "show-cinema" }, cat.cinemas.map((c) => h("option", { value: c.id }, `${c.name}, ${c.city}`)));
  const screen = h("select", { required: true, "data-testid": "show-screen" });
  const startsAt = h("input", { type: "datetime-local", required: true, "data-testid": "show-starts" });
  startsAt.value = `${addDaysYmd(todayYmd(), 1)}T18:30`;
  const startHint = h("span");
  const pricesEl = h("fieldset", { class: "prices" });
  if (cat.cinema.has(query.get("cinema"))) cinema.value = query.get("cinema");
  if (cat.movie.has(query.get("movie"))) movie.value = query.get("movie");

  const DEFAULT_PRICE = { standard: "250.00", premium: "400.00", recliner: "650.00" };
  const priceInputs = new Map();
  const fillScreens = () => {
    const c = cat.cinema.get(cinema.value);
    screen.replaceChildren(...(c?.screens ?? []).map((s) => h("option", { value: s.id }, s.name)));
    startHint.textContent = c ? `In the cinema's time zone, ${c.timezone}.` : "";
    fillPrices();
  };
  const fillPrices = () => {
    const c = cat.cinema.get(cinema.value);
    const s = c?.screens.find((x) => x.id === screen.value);
    priceInputs.clear();
    pricesEl.replaceChildren(h("legend", null, "Base price per seat (₹)"));
    for (const category of s ? layoutCategories(s.layout) : []) {
      const input = h("input", { type: "number", min: "0.01", step: "0.01", required: true, inputmode: "decimal", value: DEFAULT_PRICE[category] ?? "300.00", "data-testid": `price-${category}` });
      priceInputs.set(category, input);
      pricesEl.append(field(`${category} (₹)`, input));
    }
  };
  cinema.addEventListener("change", fillScreens);
  screen.addEventListener("change", fillPrices);
  fillScreens();

  const submit = h("button", { type: "submit", class: "button button--primary", "data-testid": "show-submit" }, "Create show");
  const error = formError("show-error");
  const done = h("div", { "data-testid": "show-created" });
  const form = h("form", { class: "card form", novalidate: true, "aria-labelledby": "show-h" },
    field("Movie", movie), field("Cinema", cinema), field("Screen", screen), field("Starts at", startsAt, startHint), pricesEl,
    error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const c = cat.cinema.get(cinema.value);
    if (!movie.value || !c || !screen.value) {
      error.textContent = "Choose a movie, a cinema and a screen (create them first if the lists are empty).";
      return;
    }
    const iso = zonedToIso(startsAt.value, c.timezone);
    if (!iso) {
      error.textContent = "Enter the date and time the show starts.";
      startsAt.focus();
      return;
    }
    const prices = {};
    for (const [category, input] of priceInputs) {
      const rupees = Number(input.value);
      if (!(rupees > 0)) {
        error.textContent = `Enter a price above zero for ${category} seats.`;
        input.focus();
        return;
      }
      prices[category] = Math.round(rupees * 100);
    }
    try {
      const show = await busy(submit, () => api("POST", "/admin/shows", { body: { movieId: movie.value, cinemaId: c.id, screenId: screen.value, startsAt: iso, prices, currency: "INR" } }), "Creating…");
      const title = cat.movie.get(show.movieId)?.title ?? show.movieId;
      done.replaceChildren(h("p", { class: "success", "data-show-id": show.id }, `Scheduled ${title} at ${c.name}, ${dateTime(show.startsAt, c.timezone)}. `,
        h("a", { href: `#/show/${encodeURIComponent(show.id)}` }, "Seat map"), " · ",
        h("a", { href: `#/admin/live/${encodeURIComponent(show.id)}` }, "Watch live")));
      announce(`Show scheduled: ${title}, ${dateTime(show.startsAt, c.timezone)}.`);
    } catch (err) {
      error.textContent = describeError(err);
    }
  });
  main.append(form, done);
}
