// Movies and their shows for a city and a date (the cinema's local date), grouped by movie and
// cinema, each show a link to its seat map.
import { api, describeError, serverNow } from "../api.js";
import { catalog } from "../catalog.js";
import { clear, field, h } from "../dom.js";
import { addDaysYmd, clock, dateTime, dayLabel, duration, todayYmd } from "../format.js";
import { announce, setTitle, showError } from "../ui.js";

const DAYS = 7;

export async function browseView(main, { query }) {
  setTitle("Movies");
  const heading = h("h1", { tabindex: "-1" }, "Now showing");
  const results = h("div", { class: "results", "data-testid": "show-list", "aria-busy": "true" }, h("p", null, "Loading shows…"));
  main.append(heading, results);

  let cat;
  try {
    cat = await catalog();
  } catch (err) {
    results.replaceChildren(h("p", null, describeError(err)));
    showError(describeError(err));
    return;
  }

  const today = todayYmd();
  const city = h("select", { name: "city", "data-testid": "filter-city" },
    h("option", { value: "" }, "All cities"), cat.cities.map((c) => h("option", { value: c }, c)));
  const date = h("select", { name: "date", "data-testid": "filter-date" },
    Array.from({ length: DAYS }, (_, i) => addDaysYmd(today, i)).map((d, i) => h("option", { value: d }, i === 0 ? `Today, ${dayLabel(d)}` : i === 1 ? `Tomorrow, ${dayLabel(d)}` : dayLabel(d))),
    h("option", { value: "any" }, "Any date"));
  const movie = h("select", { name: "movie", "data-testid": "filter-movie" },
    h("option", { value: "" }, "All movies"), cat.movies.map((m) => h("option", { value: m.id }, m.title)));

  const wanted = query.get("date");
  if (wanted && (wanted === "any" || /^\d{4}-\d{2}-\d{2}$/.test(wanted))) {
    if (![...date.options].some((o) => o.value === wanted)) date.append(h("option", { value: wanted }, dayLabel(wanted)));
    date.value = wanted;
  } else {
    date.value = today;
  }
  city.value = cat.cities.includes(query.get("city")) ? query.get("city") : "";
  movie.value = cat.movie.has(query.get("movie")) ? query.get("movie") : "";

  const filters = h("form", { class: "filters", role: "search", "aria-label": "Find shows" }, field("City", city), field("Date", date), field("Movie", movie));
  filters.addEventListener("submit", (e) => e.preventDefault());
  filters.addEventListener("change", () => {
    const q = new URLSearchParams();
    if (city.value) q.set("city", city.value);
    if (date.value !== today) q.set("date", date.value);
    if (movie.value) q.set("movie", movie.value);
    // The address keeps the filters (shareable, back button) without redrawing the page.
    history.replaceState(null, "", `#/${q.size ? `?${q}` : ""}`);
    load().then((summary) => summary && announce(summary));
  });
  heading.after(filters);

  let seq = 0;
  async function load() {
    const mine = ++seq;
    results.setAttribute("aria-busy", "true");
    const q = new URLSearchParams();
    if (city.value) q.set("city", city.value);
    if (date.value !== "any") q.set("date", date.value);
    if (movie.value) q.set("movieId", movie.value);
    let shows;
    try {
      shows = await api("GET", `/shows?${q}`);
    } catch (err) {
      if (mine === seq) {
        results.replaceChildren(h("p", null, describeError(err)));
        results.setAttribute("aria-busy", "false");
      }
      return;
    }
    if (mine !== seq) return;
    const summary = render(shows);
    results.setAttribute("aria-busy", "false");
    return summary;
  }

  function render(shows) {
    const now = serverNow();
    shows = shows.filter((s) => Date.parse(s.endsAt) > now).sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    clear(results);
    const where = city.value || "all cities";
    const when = date.value === "any" ? "any date" : dayLabel(date.value);
    const summary = shows.length ? `${shows.length} show${shows.length === 1 ? "" : "s"} in ${where}, ${when}.` : `No shows in ${where}, ${when}. Try another date or city.`;
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
        h("h2", { id: titleId }, m.title),
        h("p", { class: "meta" }, [m.rating && h("span", { class: "badge", title: "Certificate" }, m.rating), m.durationMinutes && duration(m.durationMinutes), m.languages.join(", "), m.genres.join(", ")].filter(Boolean).flatMap((x, i) => (i ? [" · ", x] : [x]))),
        m.synopsis ? h("p", { class: "synopsis" }, m.synopsis) : null,
        [...byCinema.values()].map((shows) => {
          const c = cat.cinema.get(shows[0].cinemaId);
          const tz = c?.timezone ?? "Asia/Kolkata";
          return h("section", { class: "cinema" },
            h("h3", null, shows[0].cinemaName, h("span", { class: "muted" }, ` · ${shows[0].city}`)),
            h("ul", { class: "showtimes" }, shows.map((s) => {
              const started = Date.parse(s.startsAt) <= now;
              const label = `${m.title} at ${s.cinemaName}, ${s.screenName}, ${dateTime(s.startsAt, tz)}${started ? ", already started" : ""}`;
              const body = [h("span", { class: "time" }, clock(s.startsAt, tz)), h("span", { class: "screen-name" }, date.value === "any" ? `${dayLabel(s.localDate)} · ${s.screenName}` : s.screenName)];
              return h("li", null, started
                ? h("span", { class: "showtime showtime--started", "aria-label": label }, body)
                : h("a", { class: "showtime", href: `#/show/${encodeURIComponent(s.id)}`, "aria-label": label, "data-testid": "show-link", "data-show-id": s.id }, body));
            })));
        })));
    }
    return summary;
  }

  await load();
}
