// A quote's lines as a customer reads them: seats with the same price story are grouped, each
// factor named with its reason, and the total.
import { h } from "./dom.js";
import { factorName, money, percent } from "./format.js";

/** The final price of each seat: quote.seatPrices, or the last line with an amount. */
export function seatPrices(quote) {
  if (quote.seatPrices) return quote.seatPrices;
  const prices = {};
  for (const line of quote.lines ?? []) if (typeof line.amount === "number") prices[line.seat] = line.amount;
  return prices;
}

export function renderQuote(quote, { testid, order = (ids) => ids, caption } = {}) {
  const currency = quote.currency ?? "INR";
  const prices = seatPrices(quote);
  const bySeat = new Map();
  for (const line of quote.lines ?? []) {
    if (!bySeat.has(line.seat)) bySeat.set(line.seat, []);
    bySeat.get(line.seat).push(line);
  }
  // Seats whose lines read the same are shown once: "A1, A2 · standard · 2 × ₹280.00".
  const groups = new Map();
  for (const seat of order([...bySeat.keys()])) {
    const lines = bySeat.get(seat);
    const key = JSON.stringify([prices[seat], lines.map((l) => [l.category, l.factor, l.amount, l.multiplier, l.reason])]);
    if (!groups.has(key)) groups.set(key, { seats: [], lines, price: prices[seat], category: lines[0]?.category });
    groups.get(key).seats.push(seat);
  }
  const factor = (line) => {
    let value = "";
    if (line.factor === "base") value = money(line.amount, currency);
    else if (line.factor === "guard_rails") value = typeof line.amount === "number" ? `= ${money(line.amount, currency)}` : "";
    else if (typeof line.multiplier === "number") value = `${percent(line.multiplier)}`;
    // The figure is in its own column, so a reason ending in the same "+10%" drops it.
    const reason = value && line.factor !== "base" && line.factor !== "guard_rails" ? line.reason.replace(/\s*[-+−]\d+(\.\d+)?%$/, "") : line.reason;
    return h("li", null, h("span", null, `${factorName(line.factor)}: ${reason}`), h("span", { class: "num" }, value));
  };
  return h("div", { class: "quote", "data-testid": testid },
    caption ? h("p", { class: "quote-caption" }, caption) : null,
    h("ul", { class: "quote-groups" }, [...groups.values()].map((g) =>
      h("li", { class: "quote-group" },
        h("div", { class: "quote-row" },
          h("span", null, h("strong", null, g.seats.join(", ")), ` · ${g.category}`),
          h("span", { class: "num" }, g.seats.length > 1 ? `${g.seats.length} × ${money(g.price, currency)}` : money(g.price, currency))),
        h("ul", { class: "factors", "aria-label": `How the price of ${g.seats.join(", ")} is made` }, g.lines.map(factor))))),
    h("div", { class: "quote-total" }, h("span", null, "Total"), h("strong", { class: "num", "data-testid": testid ? `${testid}-total` : null }, money(quote.total, currency))));
}
