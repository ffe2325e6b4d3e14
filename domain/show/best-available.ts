// "Best available": N seats side by side in one row of a category, in the best rows (about 60%
// of the way back, where picture and sound are best) and nearest the middle, never leaving a
// single seat stranded between the group and a taken seat, an aisle or the row's end (nobody
// books that seat alone) while a placement without one exists.
//
// Seats are side by side when their columns are consecutive: an aisle is a gap in the columns,
// and a seat of another category is a boundary too.

export interface LayoutSeat { id: string; column: number; category: string }
/** Rows from the screen backwards, each row's seats in column order. */
export interface LayoutRow { row: string; seats: LayoutSeat[] }

/** How far back the best rows are, as a share of the category's rows (0 = front). */
export const BEST_ROW_SHARE = 0.6;
/** A row away from the best rows costs as much as this many seats away from the middle. */
const ROW_WEIGHT = 2;

/** Screen seats (with row, column, category) grouped into LayoutRows, front row first. */
export function layoutRows(seats: readonly { id: string; row: string; column: number; category: string }[]): LayoutRow[] {
  const rows: LayoutRow[] = [];
  for (const s of seats) {
    let row = rows.at(-1);
    if (!row || row.row !== s.row) rows.push((row = { row: s.row, seats: [] }));
    row.seats.push({ id: s.id, column: s.column, category: s.category });
  }
  for (const row of rows) row.seats.sort((a, b) => a.column - b.column);
  return rows;
}

/** Runs of free seats of `category` side by side in a row. */
function freeRuns(row: LayoutRow, isFree: (id: string) => boolean, category: string): LayoutSeat[][] {
  const runs: LayoutSeat[][] = [];
  let run: LayoutSeat[] = [];
  let last: LayoutSeat | undefined;
  for (const seat of row.seats) {
    const free = seat.category === category && isFree(seat.id);
    if (!free || (last && seat.column !== last.column + 1)) {
      if (run.length) runs.push(run);
      run = [];
    }
    if (free) run.push(seat);
    last = seat;
  }
  if (run.length) runs.push(run);
  return runs;
}

/** The best `count` seats of `category`, or null when no row has that many side by side. */
export function pickBest(rows: readonly LayoutRow[], isFree: (id: string) => boolean, category: string, count: number): string[] | null {
  if (count < 1) return null;
  const columns = rows.flatMap((r) => r.seats.map((s) => s.column));
  if (!columns.length) return null;
  const middle = (Math.min(...columns) + Math.max(...columns)) / 2;
  const categoryRows = rows.filter((r) => r.seats.some((s) => s.category === category));
  const bestRow = (categoryRows.length - 1) * BEST_ROW_SHARE;

  let best: { seats: LayoutSeat[]; score: number; orphan: boolean } | undefined;
  categoryRows.forEach((row, r) => {
    for (const run of freeRuns(row, isFree, category)) {
      for (let start = 0; start + count <= run.length; start++) {
        const left = start;
        const right = run.length - count - start;
        const orphan = left === 1 || right === 1;
        const seats = run.slice(start, start + count);
        const centre = (seats[0]!.column + seats.at(-1)!.column) / 2;
        const score = ROW_WEIGHT * Math.abs(r - bestRow) + Math.abs(centre - middle);
        // No orphan beats any orphan; then the lower score; the first found wins a tie (front, left).
        if (!best || (best.orphan && !orphan) || (best.orphan === orphan && score < best.score)) best = { seats, score, orphan };
      }
    }
  });
  return best ? best.seats.map((s) => s.id) : null;
}

/**
 * Free seats that choosing `chosen` would leave stranded alone: a single free seat between a
 * chosen seat and a taken seat, an aisle or the row's end. The same rule pickBest follows,
 * shown to customers who pick by hand as a warning.
 */
export function orphansLeft(rows: readonly LayoutRow[], isFree: (id: string) => boolean, chosen: readonly string[]): string[] {
  const picked = new Set(chosen);
  const out: string[] = [];
  for (const row of rows) {
    row.seats.forEach((seat, i) => {
      if (picked.has(seat.id) || !isFree(seat.id)) return;
      const side = (j: number) => {
        const other = row.seats[j];
        // A neighbour in the run: same category, the next column.
        return other && other.category === seat.category && Math.abs(other.column - seat.column) === 1 ? other : undefined;
      };
      const left = side(i - 1);
      const right = side(i + 1);
      const open = (s: LayoutSeat | undefined) => !!s && !picked.has(s.id) && isFree(s.id);
      const byChoice = (left && picked.has(left.id)) || (right && picked.has(right.id));
      if (byChoice && !open(left) && !open(right)) out.push(seat.id);
    });
  }
  return out;
}
