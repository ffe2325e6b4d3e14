import test from "ava";
import { LiveFeed } from "../../infra/live-feed.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const parse = (frames: string[]) => frames.map((f) => {
  const event = /event: (\w+)/.exec(f)?.[1];
  const id = /id: (\d+)/.exec(f)?.[1];
  return { event, id: id ? Number(id) : undefined, data: JSON.parse(/data: (.*)/.exec(f)![1]!) };
});

test("a watcher gets the snapshot, then each burst of seat changes as one message", async (t) => {
  const feed = new LiveFeed({ flushMs: 20 });
  const got: string[] = [];
  const watcher = feed.watch("s1", (f) => got.push(f));
  watcher.start(5, { A1: "available", A2: "available" });
  feed.publish("s1", 6, 1, { A1: "held" });
  feed.publish("s1", 8, 2, { A2: "held", A1: "available" });
  await sleep(60);
  const messages = parse(got);
  t.deepEqual(messages.map((m) => [m.event, m.id]), [["snapshot", 5], ["seats", 8]]);
  t.deepEqual(messages[1]!.data.seats, { A1: "available", A2: "held" });
  watcher.close();
});

test("changes committed between subscribing and the snapshot are not lost", async (t) => {
  const feed = new LiveFeed({ flushMs: 10 });
  const got: string[] = [];
  const watcher = feed.watch("s1", (f) => got.push(f));
  feed.publish("s1", 3, 1, { B1: "held" }); // committed while the snapshot (version 2) was being read
  watcher.start(2, { B1: "available" });
  await sleep(30);
  t.deepEqual(parse(got).map((m) => [m.event, m.id, m.data.seats]), [["snapshot", 2, { B1: "available" }], ["seats", 3, { B1: "held" }]]);
});

test("a client reconnecting with Last-Event-ID gets exactly what it missed, or must take a snapshot when the gap is too old", async (t) => {
  const feed = new LiveFeed({ flushMs: 5, historyPerShow: 3 });
  const first = feed.watch("s1", () => undefined);
  first.start(10, {});
  for (let v = 11; v <= 14; v++) feed.publish("s1", v, 1, { [`C${v}`]: "held" });
  first.close();
  const got: string[] = [];
  t.true(feed.watch("s1", (f) => got.push(f)).resume(12));
  t.deepEqual(parse(got).map((m) => m.id), [13, 14]);
  t.false(feed.watch("s1", () => undefined).resume(10), "versions 11 is no longer in the history");
  t.false(feed.watch("s2", () => undefined).resume(3), "a show this node knows nothing of");
});

test("a closed watcher gets nothing more, and stale broadcasts from an old owner are dropped", async (t) => {
  const feed = new LiveFeed({ flushMs: 5 });
  const got: string[] = [];
  const watcher = feed.watch("s1", (f) => got.push(f));
  watcher.start(7, {});
  feed.publish("s1", 6, 1, { D1: "held" });
  await sleep(20);
  t.is(got.length, 1, "only the snapshot: version 6 is older than what the client has");
  watcher.close();
  t.is(feed.watchers("s1"), 0);
  feed.publish("s1", 8, 1, { D2: "held" });
  await sleep(20);
  t.is(got.length, 1);
});

test("thousands of watchers of one show get one coalesced message per burst, from one publish each", async (t) => {
  const feed = new LiveFeed({ flushMs: 20 });
  const received = new Array<number>(5_000).fill(0);
  const watchers = received.map((_, i) => feed.watch("hot", () => { received[i]!++; }));
  watchers.forEach((w) => w.start(1, {}));
  received.fill(0); // count only what follows the snapshots
  for (let v = 2; v <= 101; v++) feed.publish("hot", v, 1, { [`S${v}`]: "held" });
  await sleep(60);
  t.true(received.every((n) => n === 1), "a burst of 100 changes reached each watcher as one message");
  watchers.forEach((w) => w.close());
  t.is(feed.watchers("hot"), 0);
});
