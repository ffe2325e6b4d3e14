// A quote as a customer reads it: seats with the same price grouped, why the price is what it
// is in plain words ("Weekend evening", "Filling fast", "Early bird"), then the tickets, GST and
// the convenience fee as separate lines, and the total. The factor-by-factor lines stay in the
// API and the admin pages.
import { h } from "./dom.js";
import { bpsPercent as pct, money } from "./format.js";

/** The final price of each seat: quote.seatPrices, or the last line with an amount. */
export function seatPrices(quote) {
  if (quote.seatPrices) return quote.seatPrices;
  const prices = {};
  for (const line of quote.lines ?? []) if (typeof line.amount === "number") prices[line.seat] = line.amount;
  return prices;
}

const upOrDown = (m) => (m > 1 ? "up" : m < 1 ? "down" : null);
const before = (text, mark) => (text.includes(mark) ? text.slice(0, text.indexOf(mark)) : text).trim();

/**
 * The reasons behind a seat's price in the words a customer uses, each with the way it moved
 * the price: [{text: "Weekend evening", way: "up"}, {text: "Early bird", way: "down"}].
 */
export function plainReasons(lines) {
  const out = [];
  const factor = (name) => lines.find((l) => l.factor === name && typeof l.multiplier === "number");
  const weekday = factor("weekday");
  const time = factor("time_of_day");
  const timeWords = time ? ({ "Prime time": "evening", Morning: "morning", "Late night": "late night" }[before(time.reason, " show")] ?? before(time.reason, " show").toLowerCase()) : null;
  if (weekday && time) out.push({ text: `${before(weekday.reason, " ")} ${timeWords}`, way: upOrDown(weekday.multiplier * time.multiplier) });
  else if (weekday) out.push({ text: before(weekday.reason, " "), way: upOrDown(weekday.multiplier) });
  else if (time) out.push({ text: `${timeWords[0].toUpperCase()}${timeWords.slice(1)} show`, way: upOrDown(time.multiplier) });
  for (const line of lines) {
    const m = line.multiplier;
    if (typeof m !== "number" || m === 1) continue;
    switch (line.factor) {
      case "festival": out.push({ text: before(line.reason, " ("), way: upOrDown(m) }); break;
      case "season": out.push({ text: before(line.reason, " season"), way: upOrDown(m) }); break;
      case "demand": out.push({ text: m > 1 ? "Filling fast" : "Plenty of seats left", way: upOrDown(m) }); break;
      case "velocity": out.push({ text: "Selling quickly", way: upOrDown(m) }); break;
      case "lead_time": out.push({ text: before(line.reason, ":"), way: upOrDown(m) }); break;
      case "forecast": out.push({ text: m > 1 ? "Expected to sell out" : "A quieter show expected", way: upOrDown(m) }); break;
      case "city": out.push({ text: `${before(line.reason, " ")} prices`, way: upOrDown(m) }); break;
      case "zone": out.push({ text: "Prices near you", way: upOrDown(m) }); break;
      default: break;
    }
  }
  return out;
}

/** A charge line's name: "GST 5% on tickets", "Convenience fee", "GST 18% on the fee". */
export function chargeName(line) {
  if (line.kind === "ticket_gst") return `GST ${pct(line.rateBps)} on ticket${line.seats?.length === 1 ? "" : "s"}${line.seats?.length ? ` (${line.seats.join(", ")})` : ""}`;
  if (line.kind === "convenience_fee") return "Convenience fee";
  if (line.kind === "fee_gst") return `GST ${pct(line.rateBps)} on the fee`;
  return line.kind;
}

/** The tickets, GST and fee lines and the total, as rows of a receipt. */
export function chargeRows(quote, testid) {
  const currency = quote.currency ?? "INR";
  const row = (name, amount, id) => h("li", { class: "quote-row", "data-testid": id }, h("span", null, name), h("span", { class: "num" }, money(amount, currency)));
  const charges = quote.charges;
  return h("div", { class: "quote-charges" },
    charges ? h("ul", { class: "charges", "data-testid": testid ? `${testid}-charges` : null },
      row(`Tickets`, charges.tickets, "charge-tickets"),
      charges.lines.map((l) => row(chargeName(l), l.amount, `charge-${l.kind}`))) : null,
    h("div", { class: "quote-total" }, h("span", null, "Total"), h("strong", { class: "num", "data-testid": testid ? `${testid}-total` : null }, money(quote.total, currency))));
}

export function renderQuote(quote, { testid, order = (ids) => ids, caption } = {}) {
  const currency = quote.currency ?? "INR";
  const prices = seatPrices(quote);
  const bySeat = new Map();
  for (const line of quote.lines ?? []) {
    if (!bySeat.has(line.seat)) bySeat.set(line.seat, []);
    bySeat.get(line.seat).push(line);
  }
  // Seats whose price and reasons read the same are shown once: "A1, A2 · standard · 2 × ₹280.00".
  const groups = new Map();
  for (const seat of order([...bySeat.keys()])) {
    const lines = bySeat.get(seat);
    const reasons = plainReasons(lines);
    const key = JSON.stringify([prices[seat], lines[0]?.category, reasons]);
    if (!groups.has(key)) groups.set(key, { seats: [], reasons, price: prices[seat], category: lines[0]?.category });
    groups.get(key).seats.push(seat);
  }
  return h("div", { class: "quote", "data-testid": testid },
    caption ? h("p", { class: "quote-caption" }, caption) : null,
    h("ul", { class: "quote-groups" }, [...groups.values()].map((g) =>
      h("li", { class: "quote-group" },
        h("div", { class: "quote-row" },
          h("span", null, h("strong", null, g.seats.join(", ")), ` · ${g.category}`),
          h("span", { class: "num" }, g.seats.length > 1 ? `${g.seats.length} × ${money(g.price, currency)}` : money(g.price, currency))),
        g.reasons.length ? h("ul", { class: "reasons", "aria-label": `Why ${g.seats.join(", ")} cost${g.seats.length === 1 ? "s" : ""} this` },
          g.reasons.map((r) => h("li", { class: `reason reason--${r.way ?? "same"}` }, r.text, h("span", { class: "visually-hidden" }, r.way === "up" ? " (raises the price)" : r.way === "down" ? " (lowers the price)" : "")))) : null))),
    chargeRows(quote, testid));
}
