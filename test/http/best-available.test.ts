// Best available over HTTP: the server picks N seats side by side in the best rows and holds
// them in one step; customers asking at the same moment get different, whole groups.
import test from "ava";
import { startServer } from "../helpers/http.ts";

test("customers asking for the best 2 seats at the same moment each get a different pair side by side", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const customers = await Promise.all(Array.from({ length: 20 }, (_, i) => api.customer(`Fan ${i}`)));
  const holds = await Promise.all(customers.map((c) => api.request("POST", `/api/shows/${show.id}/holds`, { token: c.token, body: { best: { category: "standard", count: 2 } } })));
  t.deepEqual(holds.map((h) => h.status), holds.map(() => 201), JSON.stringify(holds.map((h) => h.body)));
  const seats = holds.flatMap((h) => h.body.seats as string[]);
  t.is(new Set(seats).size, 40, "no seat given twice");
  const byId = new Map(show.seats.map((s: { id: string }) => [s.id, s]));
  for (const h of holds) {
    const [a, b] = h.body.seats.map((id: string) => byId.get(id)) as { row: string; column: number; category: string }[];
    t.is(a!.row, b!.row);
    t.is(b!.column - a!.column, 1, "side by side");
    t.is(a!.category, "standard");
    t.deepEqual([...new Set(h.body.quote.lines.map((l: { seat: string }) => l.seat))], h.body.seats, "the quote is for the seats held");
  }
});

test("best available says so when no group that size is free, and refuses seats and best together", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const c = await api.customer();
  const none = await api.request("POST", `/api/shows/${show.id}/holds`, { token: c.token, body: { best: { category: "standard", count: 40 } } });
  t.is(none.status, 409);
  t.is(none.body.type, "NO_BEST_SEATS");
  const both = await api.request("POST", `/api/shows/${show.id}/holds`, { token: c.token, body: { seats: ["A1"], best: { category: "standard", count: 1 } } });
  t.is(both.status, 422);
});
