// The seat map: one <button> per seat (a <span> when read-only), laid out on the screen's
// columns so aisles line up. Keyboard: Tab enters the map at one seat, arrow keys move between
// seats (up/down keep the column), Home/End jump to the ends of a row, Enter/Space select.
import { h, uid } from "./dom.js";
import { money } from "./format.js";

const WORDS = {
  available: "available",
  held: "held by another customer",
  booked: "booked",
  not_for_sale: "not for sale",
  mine: "held for you",
  yours: "booked by you",
};

/**
 * seats: [{id, row, number, column, category, status, price}]
 * options: {currency, interactive, isSelected(id), isMine(id), isYours(id), onToggle(seat), label, mini}
 * isMine: held for this customer; isYours: booked by this customer.
 */
export function createSeatMap(seats, options = {}) {
  const { currency = "INR", interactive = true, isSelected = () => false, isMine = () => false, isYours = () => false, onToggle = () => {}, mini = false } = options;
  const byId = new Map();
  const cells = new Map();
  const rows = [];
  for (const seat of seats) {
    const s = { ...seat };
    byId.set(s.id, s);
    let row = rows.at(-1);
    if (!row || row.name !== s.row) rows.push((row = { name: s.row, category: s.category, seats: [] }));
    row.seats.push(s);
  }
  const columns = Math.max(1, ...seats.map((s) => s.column + 1));
  const hintId = uid("map-hint");

  const rowEls = rows.map((row, rowIndex) => {
    const grid = h("div", { class: "seat-cells", style: { gridTemplateColumns: `repeat(${columns}, var(--seat))` } });
    for (const s of row.seats) {
      s.rowIndex = rowIndex;
      const attrs = { class: "seat", "data-seat": s.id, "data-testid": `seat-${s.id}`, style: { gridColumn: String(s.column + 1) } };
      const cell = interactive ? h("button", { ...attrs, type: "button", tabindex: "-1" }, String(s.number)) : h("span", { ...attrs, role: "img" }, mini ? "" : String(s.number));
      cells.set(s.id, cell);
      grid.append(cell);
    }
    const categories = [...new Set(row.seats.map((s) => s.category))].join(", ");
    return h("div", { class: "seat-row", role: "group", "aria-label": `Row ${row.name}, ${categories}` },
      h("span", { class: "row-label", "aria-hidden": "true" }, row.name), grid, h("span", { class: "row-label", "aria-hidden": "true" }, row.name));
  });

  // A divider where the category changes ("premium · ₹420.00"); the seats' labels say it too.
  const dividers = new Map();
  const dividerText = (category) => {
    const priced = rows.flatMap((r) => r.seats).find((x) => x.category === category && x.price != null && x.status !== "not_for_sale");
    return priced ? `${category} · ${money(priced.price, currency)}` : category;
  };
  const rowsAndDividers = [];
  rows.forEach((row, i) => {
    if (!mini && (i === 0 || rows[i - 1].category !== row.category) && new Set(rows.map((r) => r.category)).size > 1) {
      const divider = h("div", { class: "cat-divider", "aria-hidden": "true" }, dividerText(row.category));
      if (!dividers.has(row.category)) dividers.set(row.category, []);
      dividers.get(row.category).push(divider);
      rowsAndDividers.push(divider);
    }
    rowsAndDividers.push(rowEls[i]);
  });
  const rowsEl = h("div", { class: "seat-rows", role: "group", "aria-label": options.label ?? "Seats, screen at the front", "aria-describedby": interactive ? hintId : null }, rowsAndDividers);
  // A finger needs bigger seats than a mouse; they scroll sideways rather than shrink below 32 px.
  const touch = matchMedia("(pointer: coarse)").matches;
  // Wide screens with a mouse get smaller seats so the whole row fits beside the booking panel.
  const fit = !mini && !touch && columns > 20 ? { "--seat": `${Math.max(20, Math.floor(640 / columns) - 2)}px` } : null;
  const scroller = h("div", { class: "seat-scroll", "data-testid": "seat-scroll" }, rowsEl);
  const more = h("p", { class: "scroll-hint", "data-testid": "seat-scroll-hint", hidden: true, "aria-hidden": "true" }, "Swipe sideways for more seats ⇆");
  const hint = touch
    ? "Tap a seat to select it; tap it again to deselect. Row letters stay at the left as you swipe."
    : "Tab to the seats, move with the arrow keys, press Enter or Space to select a seat.";
  const el = h("div", { class: `seatmap${mini ? " seatmap--mini" : ""}`, "data-testid": options.testid ?? "seat-map", style: fit },
    h("div", { class: "screen", "aria-hidden": "true" }, mini ? "screen" : "Screen this way"),
    mini ? null : more,
    h("div", { class: "seat-frame" }, scroller),
    interactive ? h("p", { class: "hint", id: hintId, "data-testid": "seat-hint" }, hint) : null);

  // A map wider than its box says so: a line above it and shaded edges on the sides that hide
  // seats; it starts centred, where the best seats are.
  let centred = false;
  const edges = () => {
    const hidden = scroller.scrollWidth - scroller.clientWidth;
    if (hidden > 2 && !centred && scroller.clientWidth > 0) {
      centred = true;
      scroller.scrollLeft = hidden / 2;
    }
    more.hidden = hidden <= 2;
    el.classList.toggle("more-left", scroller.scrollLeft > 2);
    el.classList.toggle("more-right", scroller.scrollLeft < hidden - 2);
  };
  scroller.addEventListener("scroll", edges, { passive: true });
  if (!mini) new ResizeObserver(edges).observe(scroller);

  function state(s) {
    if (s.status === "booked") return isYours(s.id) ? "yours" : "booked";
    if (isMine(s.id)) return "mine";
    return s.status;
  }

  function label(s) {
    const st = state(s);
    const price = s.price != null && st !== "not_for_sale" ? `, ${money(s.price, currency)}` : "";
    return `Row ${s.row} seat ${s.number}, ${s.category}${price}, ${WORDS[st] ?? st}`;
  }

  function update(id) {
    const s = byId.get(id);
    const cell = cells.get(id);
    if (!s || !cell) return;
    const st = state(s);
    const selected = interactive && isSelected(id);
    cell.className = `seat seat--${st}${selected ? " seat--selected" : ""} cat-${categoryClass(s.category)}`;
    cell.dataset.status = s.status;
    cell.dataset.mine = String(st === "mine");
    cell.dataset.yours = String(st === "yours");
    const text = label(s);
    cell.setAttribute("aria-label", text);
    cell.title = text;
    if (interactive) {
      cell.setAttribute("aria-pressed", String(selected));
      if (st === "available" || st === "mine") cell.removeAttribute("aria-disabled");
      else cell.setAttribute("aria-disabled", "true");
    }
  }

  function updateAll() {
    for (const id of byId.keys()) update(id);
  }

  // ---- roving tabindex ----
  let current = null;
  function rove(id) {
    if (current && cells.get(current)) cells.get(current).tabIndex = -1;
    current = id;
    cells.get(id).tabIndex = 0;
  }
  function focusSeat(id) {
    if (!cells.has(id)) return;
    rove(id);
    cells.get(id).focus();
  }

  if (interactive) {
    const first = seats.find((s) => s.status === "available") ?? seats[0];
    if (first) rove(first.id);

    rowsEl.addEventListener("click", (event) => {
      const cell = event.target.closest(".seat");
      if (!cell) return;
      rove(cell.dataset.seat);
      onToggle(byId.get(cell.dataset.seat));
    });
    rowsEl.addEventListener("focusin", (event) => {
      const cell = event.target.closest(".seat");
      if (cell && cell.dataset.seat !== current) rove(cell.dataset.seat);
    });
    rowsEl.addEventListener("keydown", (event) => {
      const cell = event.target.closest(".seat");
      if (!cell) return;
      const s = byId.get(cell.dataset.seat);
      const row = rows[s.rowIndex].seats;
      const i = row.indexOf(s);
      const nearest = (r) => (r ? r.seats.reduce((best, x) => (Math.abs(x.column - s.column) < Math.abs(best.column - s.column) ? x : best)) : undefined);
      let next;
      switch (event.key) {
        case "ArrowLeft": next = row[i - 1]; break;
        case "ArrowRight": next = row[i + 1]; break;
        case "ArrowUp": next = nearest(rows[s.rowIndex - 1]); break;
        case "ArrowDown": next = nearest(rows[s.rowIndex + 1]); break;
        case "Home": next = event.ctrlKey ? rows[0].seats[0] : row[0]; break;
        case "End": next = event.ctrlKey ? rows.at(-1).seats.at(-1) : row.at(-1); break;
        default: return;
      }
      event.preventDefault();
      if (next) focusSeat(next.id);
    });
  }

  updateAll();

  return {
    el,
    seat: (id) => byId.get(id),
    seats: () => [...byId.values()],
    has: (id) => byId.has(id),
    update,
    updateAll,
    focusSeat,
    setStatus(id, status) {
      const s = byId.get(id);
      if (!s || s.status === status) return false;
      s.status = status;
      update(id);
      return true;
    },
    setPrice(id, price) {
      const s = byId.get(id);
      if (!s) return;
      s.price = price;
      update(id);
      for (const d of dividers.get(s.category) ?? []) d.textContent = dividerText(s.category);
    },
    /**
     * Free seats that choosing `chosen` would leave alone between the group and a taken seat,
     * an aisle or the row's end: the server's best-available rule (domain/show/best-available.ts),
     * here as a warning for seats picked by hand.
     */
    orphansLeft(chosen) {
      const picked = new Set(chosen);
      const free = (s) => !!s && !picked.has(s.id) && s.status === "available";
      const out = [];
      for (const row of rows) {
        row.seats.forEach((s, i) => {
          if (!free(s)) return;
          const near = (j) => {
            const o = row.seats[j];
            return o && o.category === s.category && Math.abs(o.column - s.column) === 1 ? o : undefined;
          };
          const [left, right] = [near(i - 1), near(i + 1)];
          if ((picked.has(left?.id) || picked.has(right?.id)) && !free(left) && !free(right)) out.push(s.id);
        });
      }
      return out;
    },
    /** Seat ids in map order (front row first, left to right). */
    order: (ids) => [...ids].sort((a, b) => orderOf(a) - orderOf(b)),
  };

  function orderOf(id) {
    const s = byId.get(id);
    return s ? s.rowIndex * 1000 + s.column : Number.MAX_SAFE_INTEGER;
  }
}

const categoryClass = (category) => (["standard", "premium", "recliner"].includes(category) ? category : "other");

/** The legend that goes with a seat map. */
export function seatLegend({ withSelection = true } = {}) {
  const item = (cls, text) => h("li", null, h("span", { class: `seat seat--legend ${cls}`, "aria-hidden": "true" }), text);
  return h("ul", { class: "legend", "aria-label": "Seat map legend" },
    item("seat--available", "Available"),
    withSelection ? item("seat--available seat--selected", "Your selection") : null,
    withSelection ? item("seat--mine", "Held for you") : null,
    item("seat--held", "Held by someone"),
    withSelection ? item("seat--yours", "Booked by you") : null,
    item("seat--booked", "Booked"),
    item("seat--not_for_sale", "Not for sale"));
}
