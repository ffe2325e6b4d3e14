// Movies and their shows: the city first (remembered on this device), then a strip of dates (the
// cinema's local date), each film with its poster and, per cinema, showtime chips with the
// lowest ticket price and how full the show is.
import { api, describeError, serverNow } from "../api.js";
import { catalog } from "../catalog.js";
import { clear, field, h } from "../dom.js";
import { addDaysYmd, clock, dateTime, dayLabel, duration, money, todayYmd } from "../format.js";
import { announce, setTitle, showError } from "../ui.js";
import { ratingText } from "./reviews.js";

const DAYS = 7;
const CITY_KEY = "marquee.city";
const AVAILABILITY = { filling_fast: "Filling fast", sold_out: "Sold out" };

const rememberedCity = () => {
  try { return localStorage.getItem(CITY_KEY); } catch { return null; }
};

export async function browseView(main, { query }) {
  setTitle("Movies");
  const heading = h("h1", { tabindex: "-1" }, "Now showing");
  const results = h("div", { class: "results", "data-testid": "show-list", "aria-busy": "true" }, h("p", null, "Loading shows…"));
  main.append(heading, results);

  let cat;
  // Ratings decorate the cards; browsing never waits for or fails on them.
  const ratings = api("GET", "/reviews/summary").catch(() => ({}));
  try {
    cat = await catalog();
  } catch (err) {
    results.replaceChildren(h("p", null, describeError(err)));
    showError(describeError(err));
    return;
  }

  const today = todayYmd();
  const dates = Array.from({ length: DAYS }, (_, i) => addDaysYmd(today, i));
  const wantedDate = query.get("date");
  const state = {
    city: [query.get("city"), rememberedCity()].find((c) => c && cat.cities.includes(c)) ?? null,
    date: wantedDate && (wantedDate === "any" || /^\d{4}-\d{2}-\d{2}$/.test(wantedDate)) ? wantedDate : today,
    movie: cat.movie.has(query.get("movie")) ? query.get("movie") : "",
  };
  if (!dates.includes(state.date) && state.date !== "any") dates.push(state.date);

  const controls = h("div", { class: "browse-controls" });
  heading.after(controls);

  function keepInAddress() {
    const q = new URLSearchParams();
    if (state.city) q.set("city", state.city);
    if (state.date !== today) q.set("date", state.date);
    if (state.movie) q.set("movie", state.movie);
    // The address keeps the choices (shareable, back button) without redrawing the page.
    history.replaceState(null, "", `#/${q.size ? `?${q}` : ""}`);
  }

  // ---------- city first ----------
  function chooseCity() {
    heading.textContent = "Choose your city";
    setTitle("Choose your city");
    results.replaceChildren();
    results.removeAttribute("aria-busy");
    controls.replaceChildren(h("ul", { class: "city-choices", "aria-label": "Cities" }, cat.cities.map((c) => {
      const button = h("button", { type: "button", class: "city-choice", "data-testid": "city-choice", "data-city": c, "aria-pressed": String(c === state.city) }, c);
      button.addEventListener("click", () => {
        state.city = c;
        try { localStorage.setItem(CITY_KEY, c); } catch { /* private mode: chosen for this visit only */ }
        keepInAddress();
        drawControls();
        load().then((summary) => summary && announce(summary));
        heading.focus();
      });
      return h("li", null, button);
    })));
  }

  // ---------- the date strip and the film filter ----------
  function drawControls() {
    heading.textContent = `Movies in ${state.city}`;
    setTitle(`Movies in ${state.city}`);
    const change = h("button", { type: "button", class: "button button--small button--quiet", "data-testid": "change-city" }, "Change city");
    change.addEventListener("click", chooseCity);
    const chip = (value, top, bottom) => {
      const b = h("button", { type: "button", class: "date-chip", "data-testid": "date-chip", "data-date": value, "aria-pressed": String(value === state.date) },
        h("span", { class: "date-top" }, top), h("span", { class: "date-bottom" }, bottom));
      b.addEventListener("click", () => {
        state.date = value;
        for (const other of strip.querySelectorAll(".date-chip")) other.setAttribute("aria-pressed", String(other === b));
        keepInAddress();
        load().then((summary) => summary && announce(summary));
      });
      return b;
    };
    const strip = h("div", { class: "date-strip", role: "group", "aria-label": "Date", "data-testid": "date-strip" },
      dates.map((d, i) => {
        const [weekday, day, month] = dayLabel(d).split(/[\s,]+/);
        return chip(d, i === 0 ? "Today" : i === 1 ? "Tomorrow" : weekday, `${day} ${month}`);
      }),
      chip("any", "Any", "date"));
    const movie = h("select", { name: "movie", "data-testid": "filter-movie" },
      h("option", { value: "" }, "All movies"), cat.movies.map((m) => h("option", { value: m.id }, m.title)));
    movie.value = state.movie;
    movie.addEventListener("change", () => {
      state.movie = movie.value;
      keepInAddress();
      load().then((summary) => summary && announce(summary));
    });
    controls.replaceChildren(
      h("p", { class: "city-line" }, h("span", { "data-testid": "current-city" }, state.city), " ", change),
      strip,
      h("form", { class: "filters", role: "search", "aria-label": "Find shows", onsubmit: (e) => e.preventDefault() }, field("Movie", movie)));
    strip.querySelector("[aria-pressed=true]")?.scrollIntoView({ block: "nearest", inline: "center" });
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    results.setAttribute("aria-busy", "true");
    const q = new URLSearchParams({ city: state.city });
    if (state.date !== "any") q.set("date", state.date);
    if (state.movie) q.set("movieId", state.movie);
    let shows;
    try {
      const now = serverNow();
      shows = (await api("GET", `/shows?${q}`)).filter((s) => Date.parse(s.endsAt) > now).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    } catch (err) {
      if (mine === seq) {
        results.replaceChildren(h("p", null, describeError(err)));
        results.setAttribute("aria-busy", "false");
      }
      return;
    }
    if (mine !== seq) return;
    const summary = render(shows, await ratings);
    results.setAttribute("aria-busy", "false");
    chips(shows, mine);
    return summary;
  }

  /** Fills each chip's price and availability once they arrive: the list never waits for them. */
  async function chips(shows, mine) {
    const ids = shows.filter((s) => Date.parse(s.startsAt) > serverNow()).map((s) => s.id);
    for (let i = 0; i < ids.length; i += 100) {
      let facts;
      try {
        facts = await api("GET", `/showtimes?ids=${encodeURIComponent(ids.slice(i, i + 100).join(","))}`);
      } catch {
        return; // The chips still lead to the seat map; prices are shown there.
      }
      if (mine !== seq) return;
      for (const f of facts) {
        const el = results.querySelector(`[data-show-id="${CSS.escape(f.showId)}"]`);
        if (!el) continue;
        el.dataset.availability = f.availability;
        const price = el.querySelector(".chip-price");
        if (price && f.from !== null) price.textContent = `from ${money(f.from, f.currency)}`;
        const note = el.querySelector(".chip-note");
        if (note) note.textContent = AVAILABILITY[f.availability] ?? "";
        if (f.availability === "sold_out") {
          el.setAttribute("aria-label", `${el.getAttribute("aria-label")}, sold out`);
          el.classList.add("showtime--sold-out");
        } else if (f.availability === "filling_fast") {
          el.setAttribute("aria-label", `${el.getAttribute("aria-label")}, filling fast, from ${money(f.from, f.currency)}`);
        } else if (f.from !== null) {
          el.setAttribute("aria-label", `${el.getAttribute("aria-label")}, from ${money(f.from, f.currency)}`);
        }
      }
    }
  }

  function render(shows, stars) {
    const now = serverNow();
    clear(results);
    const when = state.date === "any" ? "any date" : dayLabel(state.date);
    const summary = shows.length ? `${shows.length} show${shows.length === 1 ? "" : "s"} in ${state.city}, ${when}.` : `No shows in ${state.city}, ${when}. Try another date.`;
    results.append(h("p", { class: "summary" }, summary));
    const byMovie = new Map();
    for (const s of shows) {
      if (!byMovie.has(s.movieId)) byMovie.set(s.movieId, []);
      byMovie.get(s.movieId).push(s);
    }
    for (const [movieId, list] of byMovie) {
      const m = cat.movie.get(movieId) ?? { title: list[0].movieTitle, languages: [], genres: [] };
      const titleId = `movie-${movieId}`;
      const byCinema = new Map();
      for (const s of list) {
        if (!byCinema.has(s.cinemaId)) byCinema.set(s.cinemaId, []);
        byCinema.get(s.cinemaId).push(s);
      }
      results.append(h("article", { class: "movie card", "aria-labelledby": titleId, "data-testid": "movie" },
        h("img", { class: "poster", src: `/api/movies/${encodeURIComponent(movieId)}/poster`, alt: "", width: "100", height: "150", loading: "lazy", decoding: "async" }),
        h("div", { class: "movie-body" },
          h("h2", { id: titleId }, m.title),
          ratingText(stars[movieId]) ? h("p", { class: "movie-rating", "data-testid": "movie-rating" }, ratingText(stars[movieId])) : null,
          h("p", { class: "meta" }, [m.rating && h("span", { class: "badge", title: "Certificate" }, m.rating), m.durationMinutes && duration(m.durationMinutes), m.languages.join(", "), m.genres.join(", ")].filter(Boolean).flatMap((x, i) => (i ? [" · ", x] : [x]))),
          m.synopsis ? h("p", { class: "synopsis" }, m.synopsis) : null),
        h("div", { class: "movie-shows" }, [...byCinema.values()].map((shows) => {
          const c = cat.cinema.get(shows[0].cinemaId);
          const tz = c?.timezone ?? "Asia/Kolkata";
          return h("section", { class: "cinema" },
            h("h3", null, shows[0].cinemaName),
            h("ul", { class: "showtimes" }, shows.map((s) => {
              const started = Date.parse(s.startsAt) <= now;
              const label = `${m.title} at ${s.cinemaName}, ${s.screenName}, ${dateTime(s.startsAt, tz)}${started ? ", already started" : ""}`;
              const body = [
                h("span", { class: "time" }, clock(s.startsAt, tz)),
                h("span", { class: "screen-name" }, state.date === "any" ? `${dayLabel(s.localDate)} · ${s.screenName}` : s.screenName),
                started ? null : h("span", { class: "chip-price" }),
                started ? null : h("span", { class: "chip-note" }),
              ];
              return h("li", null, started
                ? h("span", { class: "showtime showtime--started", "aria-label": label }, body)
                : h("a", { class: "showtime", href: `#/show/${encodeURIComponent(s.id)}`, "aria-label": label, "data-testid": "show-link", "data-show-id": s.id }, body));
            })));
        }))));
    }
    return summary;
  }

  if (!state.city) {
    chooseCity();
    return;
  }
  try { localStorage.setItem(CITY_KEY, state.city); } catch { /* chosen for this visit only */ }
  drawControls();
  await load();
}
