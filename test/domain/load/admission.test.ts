import test from "ava";
import { AdmissionLimiter, loadClassOf } from "../../../domain/load/admission.ts";

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
  t.is(loadClassOf("GET", "/api/shows/s1/events"), undefined, "live streams cost a socket, not work");
});
