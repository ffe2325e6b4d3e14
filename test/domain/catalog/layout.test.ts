import test from "ava";
import { expandLayout, layoutCategories, parseLayout, sellableSeats, type LayoutProblem } from "../../../domain/catalog/layout.ts";
import type { SeatLayout } from "../../../domain/catalog/types.ts";

const problemsOf = (input: unknown): LayoutProblem[] => {
  const parsed = parseLayout(input);
  return parsed.ok ? [] : parsed.problems;
};

test("seats are numbered from the left skipping aisles, while columns count the aisles", (t) => {
  const seats = expandLayout({ rows: [{ row: "A", category: "standard", seats: "ss_sss__s" }] });
  t.deepEqual(seats.map((s) => [s.id, s.number, s.column]), [
    ["A1", 1, 0], ["A2", 2, 1], ["A3", 3, 3], ["A4", 4, 4], ["A5", 5, 5], ["A6", 6, 8],
  ]);
});

test("a seat marked x exists and keeps its number but is not for sale", (t) => {
  const seats = expandLayout({ rows: [{ row: "B", category: "premium", seats: "sxs" }] });
  t.deepEqual(seats.map((s) => [s.id, s.forSale]), [["B1", true], ["B2", false], ["B3", true]]);
  t.is(sellableSeats({ rows: [{ row: "B", category: "premium", seats: "sxs" }] }), 2);
});

test("seats come out front row first, left to right, each with its row's category", (t) => {
  const layout: SeatLayout = { rows: [
    { row: "A", category: "standard", seats: "s_s" },
    { row: "AA", category: "recliner", seats: "ss" },
  ] };
  t.deepEqual(expandLayout(layout).map((s) => `${s.id}:${s.category}`), ["A1:standard", "A2:standard", "AA1:recliner", "AA2:recliner"]);
  t.deepEqual(layoutCategories(layout), ["standard", "recliner"]);
});

test("a valid layout parses to its rows and drops properties the format does not have", (t) => {
  const parsed = parseLayout({ rows: [{ row: "A", category: " standard ", seats: "ss_ss", colour: "red" }], theme: "dark" });
  t.deepEqual(parsed, { ok: true, layout: { rows: [{ row: "A", category: "standard", seats: "ss_ss" }] } });
});

test("a repeated row name is reported against that row", (t) => {
  const problems = problemsOf({ rows: [
    { row: "A", category: "standard", seats: "ss" },
    { row: "A", category: "standard", seats: "ss" },
  ] });
  t.deepEqual(problems.map((p) => p.row), ["A"]);
  t.regex(problems[0]!.message, /more than once/);
});

test("characters other than s, _ and x are reported with the row and the characters found", (t) => {
  const problems = problemsOf({ rows: [{ row: "C", category: "standard", seats: "ss-sS" }] });
  t.is(problems.length, 1);
  t.is(problems[0]!.row, "C");
  t.regex(problems[0]!.message, /"-", "S"/);
});

test("a row name that is not 1-3 capital letters is reported by the row's position", (t) => {
  const problems = problemsOf({ rows: [
    { row: "A", category: "standard", seats: "ss" },
    { row: "b", category: "standard", seats: "ss" },
    { row: "ABCD", category: "standard", seats: "ss" },
  ] });
  t.deepEqual(problems.map((p) => p.row), ["#2", "#3"]);
});

test("every problem of every row is reported at once", (t) => {
  const problems = problemsOf({ rows: [
    { row: "A", category: "", seats: "ss" },
    { row: "B", category: "standard", seats: "___" },
    { row: "C", category: "standard", seats: 7 },
  ] });
  t.deepEqual(problems.map((p) => p.row), ["A", "B", "C"]);
});

test("rows wider than 60 columns are refused", (t) => {
  t.deepEqual(problemsOf({ rows: [{ row: "A", category: "standard", seats: "s".repeat(60) }] }), []);
  const problems = problemsOf({ rows: [{ row: "A", category: "standard", seats: "s".repeat(61) }] });
  t.is(problems[0]!.row, "A");
  t.regex(problems[0]!.message, /61 columns/);
});

test("layouts with more than 40 rows are refused", (t) => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(65 + (i % 26)).repeat(1 + Math.floor(i / 26)));
  t.deepEqual(problemsOf({ rows: names(40).map((row) => ({ row, category: "standard", seats: "s" })) }), []);
  const problems = problemsOf({ rows: names(41).map((row) => ({ row, category: "standard", seats: "s" })) });
  t.is(problems.length, 1);
  t.regex(problems[0]!.message, /41 rows/);
});

test("a layout needs at least one seat for sale", (t) => {
  t.regex(problemsOf({ rows: [] })[0]!.message, /no rows/);
  t.regex(problemsOf({ rows: [{ row: "A", category: "standard", seats: "xx_x" }] })[0]!.message, /no seat for sale/);
});

test("input that is not a layout object is refused with the expected shape", (t) => {
  for (const input of [null, "ss_ss", [], { rows: "A" }]) {
    t.regex(problemsOf(input)[0]!.message, /rows: \[\{row, category, seats\}\]/);
  }
});
