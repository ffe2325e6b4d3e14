// Admin: the revenue team's pricing rules. Festivals (added, updated, removed), the default
// guard rails, and the audit log of every change; the rest of the rules are shown read-only
// and stay editable through /api/admin/pricing. Every change is checked and audited by the
// server; the page only reports what it answered.
import { api, describeError } from "../api.js";
import { busy, field, formError, h } from "../dom.js";
import { bpsPercent as pct, dateTime, money, todayYmd } from "../format.js";
import { announce, askFirst, setTitle, showError } from "../ui.js";

const percent = (multiplier) => {
  const change = Math.round((multiplier - 1) * 1000) / 10;
  return `${change >= 0 ? "+" : ""}${change}%`;
};

/** Says what to fix next to the form and puts the cursor there; the form is not sent. */
function refuse(error, control, message) {
  error.textContent = message;
  control.focus();
}

/** A rule id from its name: "Diwali 2026" -> "diwali-2026". */
const slug = (name) => name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);

export async function pricingView(main, { active }) {
  setTitle("Admin: pricing");
  main.append(h("h1", { tabindex: "-1" }, "Pricing"),
    h("p", { class: "muted" }, "Rule changes apply to every show's next price at once and are recorded in the audit log."));
  const festivalsSlot = h("section", { "aria-labelledby": "festivals-h", "data-testid": "pricing-festivals" });
  const railsSlot = h("section", { "aria-labelledby": "rails-h" });
  const otherSlot = h("section", { "aria-labelledby": "other-h" });
  const auditSlot = h("section", { "aria-labelledby": "audit-h", "data-testid": "pricing-audit" });
  main.append(festivalsSlot, railsSlot, otherSlot, auditSlot);

  async function load() {
    let rules;
    let fees;
    let audit;
    try {
      [{ rules, fees }, audit] = await Promise.all([api("GET", "/admin/pricing/rules"), api("GET", "/admin/pricing/audit?limit=20")]);
    } catch (err) {
      showError(describeError(err));
      return;
    }
    if (!active()) return;
    festivalsSlot.replaceChildren(...festivals(rules.festivals, load));
    railsSlot.replaceChildren(...guardRails(rules.guardRails, load));
    otherSlot.replaceChildren(...otherRules(rules, fees));
    auditSlot.replaceChildren(...auditLog(audit));
  }
  await load();
}

/** A festival's Remove button, which asks first: its prices change for every show it covers. */
function removeCell(f, reload) {
  const cell = h("td");
  const remove = h("button", { type: "button", class: "button", "data-testid": `festival-remove-${f.id}`, "aria-label": `Remove ${f.name}` }, "Remove");
  remove.addEventListener("click", () => askFirst(cell, remove, {
    question: `Remove ${f.name}? Prices of the shows it covers change at once.`,
    yes: `Yes, remove ${f.name}`, yesTestid: `festival-confirm-remove-${f.id}`, no: "Keep", noTestid: `festival-keep-${f.id}`,
    async onYes(button) {
      try {
        await busy(button, () => api("DELETE", `/admin/pricing/festivals/${encodeURIComponent(f.id)}`), "Removing…");
        announce(`${f.name} removed.`);
        await reload();
      } catch (err) {
        showError(describeError(err));
      }
    },
  }));
  cell.append(remove);
  return cell;
}

function festivals(list, reload) {
  const rows = list.map((f) => h("tr", { "data-testid": "festival-row", "data-festival": f.id },
    h("td", null, f.name), h("td", null, `${f.from} to ${f.to}`), h("td", null, f.cities?.length ? f.cities.join(", ") : "Everywhere"),
    h("td", { class: "num" }, percent(f.multiplier)),
    removeCell(f, reload)));
  const table = h("div", { class: "table-wrap" }, h("table", { class: "data" },
    h("thead", null, h("tr", null, ["Festival", "Dates (cinema-local)", "Cities", "Price change", ""].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", null, rows.length ? rows : h("tr", null, h("td", { colspan: "5", class: "muted" }, "No festivals.")))));

  const name = h("input", { required: true, maxlength: "100", "data-testid": "festival-name" });
  const from = h("input", { type: "date", required: true, value: todayYmd(), "data-testid": "festival-from" });
  const to = h("input", { type: "date", required: true, value: todayYmd(), "data-testid": "festival-to" });
  const cities = h("input", { "data-testid": "festival-cities" });
  const change = h("input", { type: "number", step: "1", min: "-90", max: "900", required: true, value: "10", inputmode: "numeric", "data-testid": "festival-change" });
  const submit = h("button", { type: "submit", class: "button button--primary", "data-testid": "festival-submit" }, "Save festival");
  const error = formError("festival-error");
  const form = h("form", { class: "card form", novalidate: true, "aria-label": "Add or update a festival" },
    field("Name", name, "Saving the same name and start date again updates that festival."), field("From", from), field("To", to),
    field("Cities", cities, "Comma separated; empty means every city."), field("Price change (%)", change, "10 raises prices by 10%, -20 lowers them by 20%."),
    error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    // Name and start date make the id, so saving them again updates that festival and nothing
    // else (next year's Diwali is another festival).
    const id = slug(`${name.value} ${from.value}`);
    const pct = Number(change.value);
    if (!slug(name.value)) return refuse(error, name, "Enter a name.");
    if (!from.value || !to.value || from.value > to.value) return refuse(error, from, "Enter dates with From on or before To.");
    if (change.value === "" || !(pct > -100 && pct <= 900)) return refuse(error, change, "Enter a price change above -100% and at most 900%.");
    const list = cities.value.split(",").map((c) => c.trim()).filter(Boolean);
    const body = { name: name.value.trim(), from: from.value, to: to.value, multiplier: 1 + pct / 100, ...(list.length ? { cities: list } : {}) };
    try {
      await busy(submit, () => api("PUT", `/admin/pricing/festivals/${encodeURIComponent(id)}`, { body }), "Saving…");
      announce(`${body.name} saved.`);
      await reload();
    } catch (err) {
      error.textContent = describeError(err);
    }
  });
  return [h("h2", { id: "festivals-h" }, "Festivals"), table, form];
}

function guardRails(rails, reload) {
  const input = (key, value, attrs) => h("input", { type: "number", required: true, value: String(value), "data-testid": `rails-${key}`, ...attrs });
  const floor = input("floor", rails.floor, { step: "0.05", min: "0.05" });
  const ceiling = input("ceiling", rails.ceiling, { step: "0.05", min: "0.05" });
  const perHour = input("perHour", Math.round(rails.maxChangePerHour * 100), { step: "1", min: "1" });
  const roundTo = input("roundTo", rails.roundTo / 100, { step: "0.01", min: "0.01" });
  const submit = h("button", { type: "submit", class: "button button--primary", "data-testid": "rails-submit" }, "Save guard rails");
  const error = formError("rails-error");
  const form = h("form", { class: "card form", novalidate: true, "aria-labelledby": "rails-h" },
    field("Floor (× base price)", floor), field("Ceiling (× base price)", ceiling),
    field("Largest move per hour (%)", perHour), field("Round prices to (₹)", roundTo),
    error, h("div", { class: "actions" }, submit));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const next = { floor: Number(floor.value), ceiling: Number(ceiling.value), maxChangePerHour: Number(perHour.value) / 100, roundTo: Math.round(Number(roundTo.value) * 100) };
    if (!(next.floor > 0 && next.ceiling >= next.floor)) return refuse(error, floor, "Enter a floor above 0 and a ceiling at least as high.");
    if (!(next.maxChangePerHour > 0)) return refuse(error, perHour, "Enter a positive largest move per hour.");
    if (!(next.roundTo >= 1)) return refuse(error, roundTo, "Enter a positive amount to round prices to.");
    try {
      await busy(submit, () => api("PUT", "/admin/pricing/guard-rails", { body: { rails: next } }), "Saving…");
      announce("Guard rails saved.");
      await reload();
    } catch (err) {
      error.textContent = describeError(err);
    }
  });
  return [h("h2", { id: "rails-h" }, "Guard rails"), h("p", { class: "muted" }, "Every show's price stays within these, whatever the other rules say."), form];
}

/** "₹20.00 fee a ticket + 18% GST; tickets: 5% GST up to ₹100.00, 18% above". */
function feeText(s) {
  const slabs = s.ticketGst.map((slab, i) => (slab.upTo !== undefined ? `${pct(slab.rateBps)} GST up to ${money(slab.upTo)}` : `${pct(slab.rateBps)}${i ? " above" : " GST"}`)).join(", ");
  return `${money(s.feePerTicket)} convenience fee a ticket + ${pct(s.feeGstBps)} GST on it; tickets: ${slabs}`;
}

function otherRules(rules, fees) {
  const item = (label, value) => h("li", null, h("strong", null, `${label}: `), value);
  const bands = (list) => (list.length ? list.map((b) => `${b.name} ${percent(b.multiplier)}`).join("; ") : "none");
  return [
    h("h2", { id: "other-h" }, "Other rules"),
    h("ul", { class: "card" },
      item("Seasons", bands(rules.seasons)),
      item("Weekdays", bands(rules.weekdays)),
      item("Times of day", bands(rules.timeBands)),
      item("Lead time", bands(rules.leadTime)),
      item("Cities", Object.entries(rules.cities).map(([city, m]) => `${city} ${percent(m)}`).join("; ") || "none"),
      item("Customer zones", bands(rules.zones)),
      fees ? h("li", { "data-testid": "fees-default" }, h("strong", null, "GST and fees: "), feeText(fees.default)) : null,
      fees ? Object.entries({ ...fees.cities, ...fees.cinemas }).map(([where, s]) => item(`GST and fees in ${where}`, feeText(s))) : null),
    h("p", { class: "muted" }, "These are edited through the API (PUT /api/admin/pricing/…); see the README."),
  ];
}

function auditLog(entries) {
  const rows = entries.map((e) => h("tr", { "data-testid": "audit-row" },
    h("td", null, dateTime(e.at)), h("td", null, e.by), h("td", null, e.change), h("td", null, e.target)));
  return [
    h("h2", { id: "audit-h" }, "Audit log"),
    h("div", { class: "table-wrap" }, h("table", { class: "data" },
      h("caption", null, "The latest 20 changes, newest first"),
      h("thead", null, h("tr", null, ["When", "Who", "Change", "Target"].map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", null, rows.length ? rows : h("tr", null, h("td", { colspan: "4", class: "muted" }, "No changes yet."))))),
  ];
}
