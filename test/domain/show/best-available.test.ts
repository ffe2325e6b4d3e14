// The best-available picker: contiguous seats in one row of the category, in the best rows and
// nearest the middle, never stranding a single seat while a placement without one exists.
import test from "ava";
import fc from "fast-check";
import { layoutRows, orphansLeft, pickBest, type LayoutRow } from "../../../domain/show/best-available.ts";

/** Rows from a picture: "A standard ss_ssss_ss" ("s" a seat, "_" an aisle), front row first. */
function hall(...lines: string[]): LayoutRow[] {
  return layoutRows(lines.flatMap((line) => {
    const [row, category, seats] = line.split(" ") as [string, string, string];
    let n = 0;
    return [...seats].flatMap((c, column) => (c === "s" ? [{ id: `${row}${++n}`, row, column, category }] : []));
  }));
}
const freeExcept = (...taken: string[]) => (id: string) => !taken.includes(id);

const HALL = hall(
  "A standard ssss_ssssss_ssss",
  "B standard ssss_ssssss_ssss",
  "C standard ssss_ssssss_ssss",
  "D standard ssss_ssssss_ssss",
  "E standard ssss_ssssss_ssss",
  "F premium ssss_ssssss_ssss",
);

test("an empty hall gives the middle of the row about 60% of the way back", (t) => {
  // Standard rows A-E: 60% back is between C and D (index 2.4): C is nearer.
  t.deepEqual(pickBest(HALL, freeExcept(), "standard", 2), ["C7", "C8"]);
  // Four in the six-seat middle block: the exact middle would strand one seat on each side.
  t.deepEqual(pickBest(HALL, freeExcept(), "premium", 4), ["F5", "F6", "F7", "F8"]);
});

test("a group never spans an aisle, and takes another row rather than strand a seat", (t) => {
  // Middle block of C: C5..C10. Taking C5, C6, C9, C10 leaves C7-C8: two fit exactly there.
  t.deepEqual(pickBest(HALL, freeExcept("C5", "C6", "C9", "C10"), "standard", 2), ["C7", "C8"]);
  // With C5 taken, four seats in C's middle block would strand C6 or C10: the next best row it is.
  t.deepEqual(pickBest(HALL, freeExcept("C5"), "standard", 4), ["D5", "D6", "D7", "D8"]);
});

test("when every placement strands a seat, the best of them is still offered", (t) => {
  const tiny = hall("A standard sss");
  t.deepEqual(pickBest(tiny, freeExcept(), "standard", 2), ["A1", "A2"]);
  t.is(pickBest(tiny, freeExcept("A2"), "standard", 2), null, "no two free side by side");
});

test("picking by hand: a single seat left between the choice and a taken seat or an aisle is flagged", (t) => {
  t.deepEqual(orphansLeft(HALL, freeExcept("C5"), ["C7", "C8"]), ["C6"]);
  t.deepEqual(orphansLeft(HALL, freeExcept(), ["C1", "C2", "C3"]), ["C4"], "C4 is alone against the aisle");
  t.deepEqual(orphansLeft(HALL, freeExcept(), ["C6", "C7"]), ["C5"]);
  t.deepEqual(orphansLeft(HALL, freeExcept(), ["C7", "C8"]), []);
});

// ---- properties over random halls and occupancy ----

const hallArb = fc.array(fc.tuple(fc.constantFrom("standard", "premium"), fc.array(fc.constantFrom("s", "s", "s", "_"), { minLength: 1, maxLength: 16 })), { minLength: 1, maxLength: 6 })
  .map((rows) => hall(...rows.map(([category, seats], i) => `${String.fromCharCode(65 + i)} ${category} ${seats.join("")}`)));

/** Every placement of `count` free side-by-side seats of `category`, by brute force. */
function placements(rows: LayoutRow[], isFree: (id: string) => boolean, category: string, count: number): string[][] {
  const out: string[][] = [];
  for (const row of rows) {
    for (let i = 0; i + count <= row.seats.length; i++) {
      const seats = row.seats.slice(i, i + count);
      const ok = seats.every((s, k) => s.category === category && isFree(s.id) && (k === 0 || s.column === seats[k - 1]!.column + 1));
      if (ok) out.push(seats.map((s) => s.id));
    }
  }
  return out;
}

const scenario = hallArb.chain((rows) => {
  const ids = rows.flatMap((r) => r.seats.map((s) => s.id));
  return fc.record({
    rows: fc.constant(rows),
    taken: fc.subarray(ids),
    category: fc.constantFrom("standard", "premium"),
    count: fc.integer({ min: 1, max: 5 }),
  });
});

test("property: the pick is N free seats of the category, side by side in one row", (t) => {
  fc.assert(fc.property(scenario, ({ rows, taken, category, count }) => {
    const isFree = freeExcept(...taken);
    const pick = pickBest(rows, isFree, category, count);
    const all = placements(rows, isFree, category, count);
    if (!pick) return all.length === 0;
    return all.some((p) => p.join() === pick.join());
  }), { numRuns: 2_000 });
  t.pass();
});

test("property: the pick strands no seat whenever some placement strands none", (t) => {
  fc.assert(fc.property(scenario, ({ rows, taken, category, count }) => {
    const isFree = freeExcept(...taken);
    const pick = pickBest(rows, isFree, category, count);
    const clean = placements(rows, isFree, category, count).filter((p) => orphansLeft(rows, isFree, p).length === 0);
    return clean.length === 0 || (pick !== null && orphansLeft(rows, isFree, pick).length === 0);
  }), { numRuns: 2_000 });
  t.pass();
});
