import test from "ava";
import { followLink } from "../../infra/transporter-link.ts";

/** A client whose status stream the test drives, as the NATS client's is. */
function fakeClient() {
  const waiting: ((event: IteratorResult<{ type: string }>) => void)[] = [];
  const queued: { type: string }[] = [];
  let stopped = false;
  const iterator = {
    next: () => new Promise<IteratorResult<{ type: string }>>((resolve) => {
      const event = queued.shift();
      if (event) resolve({ value: event, done: false });
      else if (stopped) resolve({ value: undefined, done: true });
      else waiting.push(resolve);
    }),
    [Symbol.asyncIterator]() { return this; },
    stop() { stopped = true; waiting.splice(0).forEach((resolve) => resolve({ value: undefined, done: true })); },
  };
  return {
    client: { status: () => iterator },
    emit(type: string) {
      const resolve = waiting.shift();
      if (resolve) resolve({ value: { type }, done: false });
      else queued.push({ type });
    },
    get stopped() { return stopped; },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("the link is down from a disconnect until the next reconnect; other events change nothing", async (t) => {
  const nats = fakeClient();
  const link = followLink(nats.client);
  t.true(link.up());
  nats.emit("disconnect");
  await tick();
  t.false(link.up());
  nats.emit("reconnecting");
  await tick();
  t.false(link.up());
  nats.emit("reconnect");
  await tick();
  t.true(link.up());
  link.stop();
  t.true(nats.stopped);
});

test("a transporter client without a status stream counts as always up", (t) => {
  t.true(followLink(undefined).up());
  t.true(followLink({}).up());
});
