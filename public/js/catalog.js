// Movies and cinemas change rarely: fetched once and kept for a minute (admins' changes drop them).
import { api } from "./api.js";

let cache = null;
let at = 0;

export async function catalog(force = false) {
  if (force || !cache || Date.now() - at > 60_000) {
    const [movies, cinemas] = await Promise.all([api("GET", "/movies"), api("GET", "/cinemas")]);
    cache = {
      movies,
      cinemas,
      movie: new Map(movies.map((m) => [m.id, m])),
      cinema: new Map(cinemas.map((c) => [c.id, c])),
      cities: [...new Set(cinemas.map((c) => c.city))].sort((a, b) => a.localeCompare(b)),
    };
    at = Date.now();
  }
  return cache;
}

export function dropCatalog() {
  cache = null;
}
