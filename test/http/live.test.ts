import test from "ava";
import { startServer } from "../helpers/http.ts";
import { readEvents } from "../helpers/sse.ts";

test("a watcher sees a snapshot, then another customer's hold within a second, and resumes from Last-Event-ID", async (t) => {
  const api = await startServer(t);
  const showId: string = (await api.dayAheadShow()).id;
  const stream = await fetch(`${api.url}/api/shows/${showId}/events`);
  t.is(stream.status, 200);
  t.regex(stream.headers.get("content-type") ?? "", /text\/event-stream/);
  const user = await api.customer();
  const holding = (async () => {
    await new Promise((r) => setTimeout(r, 200));
    return api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: ["A3", "A4"] } });
  })();
  const started = Date.now();
  const frames = await readEvents(stream, (f) => f.some((x) => x.event === "seats"));
  t.is((await holding).status, 201);
  t.is(frames[0]!.event, "snapshot");
  t.is(frames[0]!.data.seats.A3, "available");
  const change = frames.find((f) => f.event === "seats")!;
  t.deepEqual(change.data.seats, { A3: "held", A4: "held" });
  t.true(change.id! > frames[0]!.id!);
  t.true(Date.now() - started < 1_500);

  // Missed one change while disconnected: resuming replays it, with no snapshot.
  await api.request("POST", `/api/shows/${showId}/holds`, { token: (await api.customer()).token, body: { seats: ["A5"] } });
  const resumed = await fetch(`${api.url}/api/shows/${showId}/events`, { headers: { "last-event-id": String(change.id) } });
  const replay = await readEvents(resumed, (f) => f.length >= 1, 2_000);
  t.deepEqual(replay.map((f) => [f.event, f.data.seats]), [["seats", { A5: "held" }]]);
});

test("watching a show that does not exist is a 404 JSON error", async (t) => {
  const api = await startServer(t);
  const res = await fetch(`${api.url}/api/shows/show-nope/events`);
  t.is(res.status, 404);
  t.like(await res.json(), { code: 404, type: "NOT_FOUND" });
});
