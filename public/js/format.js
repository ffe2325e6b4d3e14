// Money (integer minor units), dates and times in a cinema's own time zone.

const moneyFormats = new Map();

/** 28000, "INR" -> "₹280.00" */
export function money(minor, currency = "INR") {
  if (typeof minor !== "number" || !Number.isFinite(minor)) return "—";
  let fmt = moneyFormats.get(currency);
  if (!fmt) {
    fmt = new Intl.NumberFormat("en-IN", { style: "currency", currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    moneyFormats.set(currency, fmt);
  }
  return fmt.format(minor / 100);
}

const cached = new Map();
function dtf(key, options) {
  let f = cached.get(key);
  if (!f) cached.set(key, (f = new Intl.DateTimeFormat("en-IN", options)));
  return f;
}

/** "13:30" in the cinema's zone. */
export const clock = (iso, timeZone) => dtf(`clock|${timeZone}`, { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));

/** "Wed 25 Nov, 13:30" in the cinema's zone. */
export const dateTime = (iso, timeZone) =>
  dtf(`dt|${timeZone}`, { timeZone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));

/** "2026-11-25" -> "Wed 25 Nov" (a calendar date: no zone arithmetic). */
export function dayLabel(ymd) {
  const [y, m, d] = ymd.split("-").map(Number);
  return dtf("day|UTC", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** Today's date on this device, YYYY-MM-DD. */
export function todayYmd(now = new Date()) {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

export function addDaysYmd(ymd, days) {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** 142 -> "2h 22m" */
export const duration = (minutes) => (minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`);

/** 125_000 ms -> "2:05" */
export function countdown(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** How far `timeZone` is ahead of UTC at instant `ms`, in ms. */
function zoneOffset(ms, timeZone) {
  const parts = Object.fromEntries(
    dtf(`parts|${timeZone}`, { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** A wall-clock time in `timeZone` ("2026-11-26T18:30") -> an ISO instant ("2026-11-26T13:00:00.000Z"). */
export function zonedToIso(local, timeZone) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let guess = wall - zoneOffset(wall, timeZone);
  guess = wall - zoneOffset(guess, timeZone);
  return new Date(guess).toISOString();
}

/** Basis points as a percentage: 500 -> "5%", 1250 -> "12.5%". */
export const bpsPercent = (bps) => `${Number((bps / 100).toFixed(2))}%`;

const BRANDS = { visa: "Visa", mastercard: "Mastercard", amex: "American Express", rupay: "RuPay", discover: "Discover", diners: "Diners Club", jcb: "JCB" };
/** "visa" -> "Visa" */
export const cardBrand = (brand) => BRANDS[String(brand).toLowerCase()] ?? String(brand).replace(/^\w/, (c) => c.toUpperCase());
