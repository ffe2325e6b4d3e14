// The price book: what a show node prices a show from, and which of two books it keeps.
import test from "ava";
import { defaultBook, newer, nextBook, pricingInput, type ShowToPrice } from "../../../domain/pricing/book.ts";
import { priceShow } from "../../../domain/pricing/engine.ts";
import { comparableKey } from "../../../domain/pricing/forecast.ts";

const HOUR = 3_600_000;
const NOW = Date.UTC(2030, 5, 1, 10, 0, 0);
const show: ShowToPrice = {
  id: "s1", startsAt: new Date(NOW + 30 * HOUR).toISOString(), currency: "INR", prices: { standard: 20_000 },
  cinema: { id: "c1", city: "Mumbai", timezone: "Asia/Kolkata" }, seats: [{ id: "A1", category: "standard", forSale: true }],
};
const empty = { forSale: 100, claimed: 0, recentlyClaimed: 0 };

test("a price published after the last rule change caps the next one; one published before it does not", (t) => {
  const book = { ...defaultBook(), changedAt: NOW - HOUR };
  const published = { multiplier: 1.5, at: NOW - 2 * HOUR };
  t.is(pricingInput(book, show, empty, NOW, { published }).previous, undefined, "the admin's change applies at once");
  const later = { multiplier: 1.5, at: NOW - HOUR / 2 };
  t.deepEqual(pricingInput(book, show, empty, NOW, { published: later }).previous, later);
  const pricing = priceShow(pricingInput(book, show, empty, NOW, { published: later }));
  t.true(pricing.guardNotes.some((n) => /per hour/.test(n)), `capped from 1.5: ${pricing.guardNotes.join("; ")}`);
});

test("the book's overrides, fee schedule and learned curve are what the show is priced with", (t) => {
  const key = comparableKey("c1", Date.parse(show.startsAt), "Asia/Kolkata");
  const curve = { key, comparableShows: 4, shareByCheckpoint: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], averageFinalOccupancy: 0.9 };
  const book = { ...defaultBook(), overrides: { showPrices: { s1: { standard: 30_000 } }, cinemaPrices: {}, showRails: {} }, curves: { [key]: curve } };
  const input = pricingInput(book, show, empty, NOW);
  t.deepEqual(input.show.prices, { standard: 30_000 });
  t.is(input.forecast?.basis.key, key);
  t.truthy(input.fees);
  t.is(pricingInput(defaultBook(), show, empty, NOW).forecast, undefined, "no comparable shows, no forecast");
});

test("a node keeps the newer of two books, whatever order they arrive in; versions grow with every change", (t) => {
  const first = nextBook(defaultBook(), { changedAt: NOW }, NOW);
  const second = nextBook(first, { curves: {} }, NOW);
  t.true(second.version > first.version);
  t.is(second.changedAt, NOW, "retraining keeps the time of the last rule change");
  t.is(newer(second, first), second);
  t.is(newer(first, second), second);
});
