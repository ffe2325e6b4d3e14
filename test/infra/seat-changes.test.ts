import test from "ava";
import { SeatChangeOutbox, type SeatChange } from "../../infra/seat-changes.ts";

// A toy show state: seat -> status, as a committed state would answer it.
type State = Record<string, string>;
const statusesOf = (state: State, seats: Iterable<string>) => Object.fromEntries([...seats].map((s) => [s, state[s] ?? "available"]));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function outbox() {
  const sent: SeatChange[][] = [];
  return { sent, box: new SeatChangeOutbox<State>(statusesOf, (changes) => sent.push(changes)) };
}

test("batches committed in one turn go out as one message, each show's spanning all its versions with its seats' latest status", async (t) => {
  const { sent, box } = outbox();
  box.add("s1", 5, 1, { A1: "held" }, ["A1"]);
  box.add("s2", 3, 1, { B1: "held" }, ["B1"]);
  box.add("s1", 7, 2, { A1: "available", A2: "held" }, ["A1", "A2"]);
  t.is(sent.length, 0, "nothing is sent before the turn ends");
  await nextTurn();
  t.deepEqual(sent, [[
    { showId: "s1", version: 7, count: 3, seats: { A1: "available", A2: "held" } },
    { showId: "s2", version: 3, count: 1, seats: { B1: "held" } },
  ]]);
});

test("a later turn sends its own message, starting where the last one ended", async (t) => {
  const { sent, box } = outbox();
  box.add("s1", 1, 1, { A1: "held" }, ["A1"]);
  await nextTurn();
  box.add("s1", 2, 1, { A1: "booked" }, ["A1"]);
  await nextTurn();
  t.deepEqual(sent.map((changes) => changes.map(({ version, count, seats }) => ({ version, count, seats }))), [
    [{ version: 1, count: 1, seats: { A1: "held" } }],
    [{ version: 2, count: 1, seats: { A1: "booked" } }],
  ]);
});

test("flush sends what has gathered at once (a stopping node loses nothing) and nothing twice", async (t) => {
  const { sent, box } = outbox();
  box.flush();
  t.is(sent.length, 0, "an empty outbox sends nothing");
  box.add("s1", 1, 1, { A1: "held" }, ["A1"]);
  box.flush();
  t.is(sent.length, 1);
  await nextTurn();
  t.is(sent.length, 1);
});
