// Seat layouts in a compact text format an admin can type and a reviewer can read at a glance:
//
//   { rows: [
//       { row: "A", category: "standard", seats: "ss_ssssss_ss" },
//       { row: "B", category: "premium",  seats: "sx_ssssss_ss" },
//   ] }
//
// Each character of `seats` is one column of the row, left to right as the audience faces the screen:
//   s  a seat for sale
//   _  an aisle or gap: it takes a column (so rows line up when drawn) but holds no seat
//   x  a seat that exists but is never sold (broken, house seat, camera position)
// Seats are numbered 1..n from the left, skipping gaps, so a seat id is row + number ("A1", "B12")
// and the numbers on the physical seats stay the same whichever gaps a row has.
// Rows are listed front (nearest the screen) to back; the category is a free word such as
// "standard", "premium" or "recliner", and every category needs a price on each show.
import type { LayoutRow, SeatDef, SeatLayout } from "./types.ts";

export const MAX_ROWS = 40;
export const MAX_COLUMNS = 60;
const ROW_NAME = /^[A-Z]{1,3}$/;
const ROW_SEATS = /^[s_x]+$/;
const MAX_CATEGORY = 30;

export interface LayoutProblem {
  /** The row's name, or its position ("#3") when the name itself is the problem. */
  row: string | null;
  message: string;
}

export type ParsedLayout = { ok: true; layout: SeatLayout } | { ok: false; problems: LayoutProblem[] };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks untrusted input against the format and returns a clean layout (unknown properties dropped)
 * or every problem found, each naming its row, so an admin can fix them all in one go.
 */
export function parseLayout(input: unknown): ParsedLayout {
  if (!isRecord(input) || !Array.isArray(input.rows)) {
    return { ok: false, problems: [{ row: null, message: "a layout is an object with rows: [{row, category, seats}]" }] };
  }
  const problems: LayoutProblem[] = [];
  const rows: LayoutRow[] = [];
  const seen = new Set<string>();
  if (input.rows.length === 0) problems.push({ row: null, message: "the layout has no rows" });
  if (input.rows.length > MAX_ROWS) problems.push({ row: null, message: `the layout has ${input.rows.length} rows; at most ${MAX_ROWS} are allowed` });

  input.rows.forEach((raw: unknown, i: number) => {
    const at = `#${i + 1}`;
    if (!isRecord(raw)) {
      problems.push({ row: at, message: "each row is an object {row, category, seats}" });
      return;
    }
    const { row, category, seats } = raw;
    const name = typeof row === "string" && ROW_NAME.test(row) ? row : null;
    const label = name ?? at;
    if (name === null) problems.push({ row: at, message: `row name ${JSON.stringify(row)} must be 1-3 capital letters, e.g. "A" or "AA"` });
    else if (seen.has(name)) problems.push({ row: name, message: `row ${name} appears more than once` });
    else seen.add(name);

    if (typeof category !== "string" || category.trim() === "" || category.length > MAX_CATEGORY) {
      problems.push({ row: label, message: `category must be a word of 1-${MAX_CATEGORY} characters, e.g. "standard"` });
    }

    if (typeof seats !== "string" || seats.length === 0) {
      problems.push({ row: label, message: 'seats must be a string of s (seat), _ (gap) and x (not for sale), e.g. "ss_ssss_ss"' });
    } else {
      if (!ROW_SEATS.test(seats)) {
        const bad = [...new Set(seats.replace(/[s_x]/g, ""))].map((c) => JSON.stringify(c)).join(", ");
        problems.push({ row: label, message: `seats may only use s, _ and x; found ${bad}` });
      }
      if (seats.length > MAX_COLUMNS) problems.push({ row: label, message: `the row is ${seats.length} columns wide; at most ${MAX_COLUMNS} are allowed` });
      if (!/[sx]/.test(seats)) problems.push({ row: label, message: "the row has only gaps; remove it or add seats" });
    }
    if (name !== null && typeof category === "string" && typeof seats === "string") rows.push({ row: name, category: category.trim(), seats });
  });

  if (problems.length === 0 && !rows.some((r) => r.seats.includes("s"))) {
    problems.push({ row: null, message: "the layout has no seat for sale; mark at least one seat with s" });
  }
  return problems.length ? { ok: false, problems } : { ok: true, layout: { rows } };
}

/** Every seat of a (valid) layout in row-major order: front row first, left to right. */
export function expandLayout(layout: SeatLayout): SeatDef[] {
  const out: SeatDef[] = [];
  for (const { row, category, seats } of layout.rows) {
    let number = 0;
    for (let column = 0; column < seats.length; column++) {
      const c = seats[column];
      if (c === "_") continue;
      number++;
      out.push({ id: `${row}${number}`, row, number, column, category, forSale: c === "s" });
    }
  }
  return out;
}

/** The seat categories a layout uses, in first-seen order: each needs a price on every show. */
export function layoutCategories(layout: SeatLayout): string[] {
  return [...new Set(layout.rows.map((r) => r.category))];
}

/** Seats that can be sold (not gaps, not x). */
export function sellableSeats(layout: SeatLayout): number {
  return layout.rows.reduce((n, r) => n + r.seats.split("").filter((c) => c === "s").length, 0);
}
