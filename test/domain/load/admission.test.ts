import test from "ava";
import { AdmissionLimiter, loadClassOf, nextLimit } from "../../../domain/load/admission.ts";

test("a class takes requests up to its bound and refuses the next one at once", (t) => {
  const limiter = new AdmissionLimiter({ write: 2, read: 5 });
  const a = limiter.enter("write");
  const b = limiter.enter("write");
  t.truthy(a);
  t.truthy(b);
  t.is(limiter.enter("write"), undefined);
  t.deepEqual(limiter.stats().shed, { write: 1, read: 0 });
});

test("a full class of writes does not stop reads", (t) => {
  const limiter = new AdmissionLimiter({ write: 1, read: 1 });
  limiter.enter("write");
  t.is(limiter.enter("write"), undefined);
  t.truthy(limiter.enter("read"));
});

test("a finished request frees its slot, once, however often it is released", (t) => {
  const limiter = new AdmissionLimiter({ write: 1, read: 1 });
  const release = limiter.enter("write")!;
  release();
  release();
  t.deepEqual(limiter.stats().inFlight, { write: 0, read: 0 });
  const again = limiter.enter("write");
  t.truthy(again);
  t.is(limiter.enter("write"), undefined, "the double release did not open a second slot");
});

test("an unbounded class never sheds", (t) => {
  const limiter = new AdmissionLimiter({ write: Infinity, read: 1 });
  for (let i = 0; i < 10_000; i++) t.truthy(limiter.enter("write"));
});

test("bounds must be positive whole numbers", (t) => {
  t.throws(() => new AdmissionLimiter({ write: 0, read: 1 }), { instanceOf: RangeError });
  t.throws(() => new AdmissionLimiter({ write: 1, read: 2.5 }), { instanceOf: RangeError });
});

test("writes, reads, and the requests that are never shed", (t) => {
  t.is(loadClassOf("POST", "/api/shows/s1/holds"), "write");
  t.is(loadClassOf("DELETE", "/api/holds/h1"), "write");
  t.is(loadClassOf("GET", "/api/shows/s1?x=1"), "read");
  t.is(loadClassOf("GET", "/api/health"), undefined, "a load balancer must see a busy node as alive");
  t.is(loadClassOf("GET", "/api/ready"), undefined, "and ask it whether it is ready");
  t.is(loadClassOf("GET", "/metrics"), undefined, "a busy node is when its metrics matter");
  t.is(loadClassOf("GET", "/api/shows/s1/events"), undefined, "live streams cost a socket, not work");
});

const target = { targetMs: 10, intervalMs: 50, floor: 4 };

test("a loop late all interval cuts the bound below what was in flight, more the later it ran", (t) => {
  t.is(nextLimit(100, 80, 256, 12, target), 60, "just past the target: a quarter off what was in flight");
  t.is(nextLimit(100, 80, 256, 40, target), 20, "four times the target: to a quarter");
  t.is(nextLimit(100, 80, 256, 5_000, target), 8, "a stalled loop: to a tenth at most in one step");
  t.is(nextLimit(100, 2, 256, 500, target), 4, "never below the floor");
});

test("a loop on time grows the bound by a tenth, up to the configured ceiling", (t) => {
  t.is(nextLimit(40, 40, 256, 3, target), 44);
  t.is(nextLimit(4, 0, 256, 0, target), 5, "at least one more");
  t.is(nextLimit(250, 250, 256, 0, target), 256);
  t.is(nextLimit(Infinity, 5_000, Infinity, 5_000, target), Infinity, "an unbounded class stays unbounded");
  t.is(nextLimit(2, 2, 2, 50, target), 2, "a ceiling under the floor is the floor");
});

/** Drives a limiter through `intervals` intervals of 50 ms whose least delay is `delayMs`; answers the time reached. */
function drive(limiter: AdmissionLimiter, intervals: number, delayMs: number, start: number): number {
  let now = start;
  for (let i = 0; i < intervals; i++) {
    limiter.observeLoop(now, delayMs);
    limiter.observeLoop(now + 25, delayMs);
    now += 50;
    limiter.observeLoop(now, delayMs);
  }
  return now;
}

test("a queue in front of the loop shrinks the bound within a few intervals, and it recovers by itself once the loop is on time", (t) => {
  const limiter = new AdmissionLimiter({ write: 256, read: 1024 }, target);
  const held = Array.from({ length: 256 }, () => limiter.enter("write")!);
  t.is(limiter.enter("write"), undefined, "full at the configured bound");
  const later = drive(limiter, 3, 200, 0);
  t.true(limiter.stats().limit.write <= 8, `three late intervals: ${limiter.stats().limit.write}`);
  for (const release of held.slice(8)) release();
  t.is(limiter.enter("write"), undefined, "fewer in flight is not enough while the bound is low");
  for (const release of held) release();
  drive(limiter, 40, 1, later);
  t.is(limiter.stats().limit.write, 256, "back at the ceiling after 40 intervals (2 s) on time");
  t.truthy(limiter.enter("write"));
});

test("a single late sample in an interval with on-time ones is a busy loop, not a queue", (t) => {
  const limiter = new AdmissionLimiter({ write: 64, read: 64 }, target);
  for (let i = 0; i < 64; i++) limiter.enter("write");
  limiter.observeLoop(0, 2);
  limiter.observeLoop(10, 300);
  limiter.observeLoop(60, 1);
  t.is(limiter.stats().limit.write, 64);
});

test("one long stall alone is not a queue: the bound waits for a few late samples", (t) => {
  const limiter = new AdmissionLimiter({ write: 64, read: 64 }, target);
  for (let i = 0; i < 64; i++) limiter.enter("write");
  limiter.observeLoop(0, 1);
  limiter.observeLoop(400, 390);
  t.is(limiter.stats().limit.write, 64, "a 400 ms interval with one late sample does not move the bound yet");
  limiter.observeLoop(410, 1);
  t.is(limiter.stats().limit.write, 64, "and the next on-time sample shows the loop was not queued");
});

/** Samples the loop every 10 ms for `ms`, busy `share` of each 10 ms and on time; answers the time reached. */
function run(limiter: AdmissionLimiter, ms: number, share: number, start = 0): number {
  for (let now = start + 10; now <= start + ms; now += 10) limiter.observeLoop(now, 0, 10 * share);
  return start + ms;
}

test("a saturated loop refuses writes read past the target into a turn, reads past four targets", (t) => {
  const limiter = new AdmissionLimiter({ write: 256, read: 1024 }, target);
  run(limiter, 100, 1);
  t.truthy(limiter.enter("write", 0), "the first requests of a turn are served");
  t.truthy(limiter.enter("write", 9), "up to the target");
  t.is(limiter.enter("write", 11), undefined, "a write read 11 ms into the turn has waited past the target");
  t.truthy(limiter.enter("read", 39), "reads are cheap: the seat map stays up");
  t.is(limiter.enter("read", 41), undefined);
  t.deepEqual(limiter.stats().shed, { write: 1, read: 1 });
});

test("a loop with idle moments refuses nothing for a long turn: it catches up by itself", (t) => {
  const limiter = new AdmissionLimiter({ write: 256, read: 1024 }, target);
  run(limiter, 100, 0.8);
  t.truthy(limiter.enter("write", 60), "busy 80% of the time is a burst, not overload");
  t.truthy(limiter.enter("read", 99));
});

test("a turn of ten targets is a queue even in a loop that was idle before it (a burst from idle)", (t) => {
  const limiter = new AdmissionLimiter({ write: 256, read: 1024 }, target);
  run(limiter, 100, 0);
  t.truthy(limiter.enter("write", 99));
  t.is(limiter.enter("write", 101), undefined);
  t.is(limiter.enter("read", 101), undefined);
});

test("once the loop has idle moments again, a saturated loop stops refusing", (t) => {
  const limiter = new AdmissionLimiter({ write: 256, read: 1024 }, target);
  const later = run(limiter, 100, 1);
  t.is(limiter.enter("write", 20), undefined);
  run(limiter, 100, 0.5, later);
  t.truthy(limiter.enter("write", 20));
});

test("an unbounded class is never refused, however late its turn", (t) => {
  const limiter = new AdmissionLimiter({ write: 256, read: Infinity }, target);
  run(limiter, 100, 1);
  for (let i = 0; i < 1000; i++) t.truthy(limiter.enter("read", 5_000));
});

test("fixed bounds (no delay target) ignore the loop's delay", (t) => {
  const limiter = new AdmissionLimiter({ write: 8, read: 8 });
  for (let i = 0; i < 8; i++) t.truthy(limiter.enter("write", 1_000));
  drive(limiter, 10, 1_000, 0);
  t.is(limiter.stats().limit.write, 8);
});
