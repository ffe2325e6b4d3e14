import test from "ava";
import { CatalogIndex } from "../../../domain/catalog/index.ts";
import type { Cinema, Movie } from "../../../domain/catalog/types.ts";
import { planShow, showSlotId } from "../../../domain/catalog/validate.ts";

const layout = { rows: [{ row: "A", category: "standard", seats: "ssss" }, { row: "B", category: "premium", seats: "ssss" }] };
const movie: Movie = { id: "m1", title: "Rocket Chai", durationMinutes: 120, rating: "U", languages: ["Hindi"], genres: [] };
const mumbai: Cinema = { id: "c1", name: "Marine Lights", city: "Mumbai", timezone: "Asia/Kolkata", screens: [{ id: "sc1", name: "Audi 1", layout }] };
const prices = { standard: 25000, premium: 40000 };

function catalog(): CatalogIndex {
  const index = new CatalogIndex();
  index.addMovie(movie);
  index.addCinema(mumbai);
  return index;
}

test("a show is named by its screen and the cinema's local start minute", (t) => {
  // 20:00 UTC on the 9th is 01:30 on the 10th in Mumbai.
  t.is(showSlotId("sc1", Date.parse("2030-01-09T20:00:00Z"), "Asia/Kolkata"), "show-sc1-20300110-0130");
});

test("a planned show takes its slot's id, ends after running time and cleanup, and keeps only its screen's prices", (t) => {
  const planned = planShow({ movieId: "m1", cinemaId: "c1", screenId: "sc1", startsAt: "2030-01-10T04:30:00+05:30", prices }, catalog());
  t.deepEqual(planned, {
    ok: true,
    value: {
      id: "show-sc1-20300110-0430", movieId: "m1", cinemaId: "c1", screenId: "sc1",
      startsAt: "2030-01-09T23:00:00.000Z", endsAt: "2030-01-10T01:15:00.000Z", currency: "INR", prices,
    },
  });
});

test("two requests for the same screen and minute plan the same show id, however the time is written", (t) => {
  const a = planShow({ movieId: "m1", cinemaId: "c1", screenId: "sc1", startsAt: "2030-01-10T04:30:00Z", prices }, catalog());
  const b = planShow({ movieId: "m1", cinemaId: "c1", screenId: "sc1", startsAt: "2030-01-10T10:00+05:30", prices }, catalog());
  t.true(a.ok && b.ok && a.value.id === b.value.id);
});

test("a show with a start that is not an ISO time with a zone is refused", (t) => {
  const planned = planShow({ movieId: "m1", cinemaId: "c1", screenId: "sc1", startsAt: "10 Jan 2030 10:00", prices }, catalog());
  t.like(planned, { ok: false, rejection: { code: "INVALID_START" } });
});
