import test from "ava";
import { Mailbox } from "../../infra/mailbox.ts";

test("messages are processed in arrival order, and those arriving during a batch form the next batch", async (t) => {
  const batches: number[][] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const box = new Mailbox<number, number>(async (batch) => {
    batches.push(batch);
    if (batches.length === 1) await gate;
    return batch.map((n) => ({ ok: true as const, value: n * 10 }));
  });
  const first = box.post(1);
  const rest = [box.post(2), box.post(3), box.post(4)];
  release();
  t.deepEqual(await Promise.all([first, ...rest]), [10, 20, 30, 40]);
  t.deepEqual(batches, [[1], [2, 3, 4]]);
});

test("a failing batch fails each of its messages and the mailbox keeps working", async (t) => {
  let fail = true;
  const box = new Mailbox<string, string>(async (batch) => {
    if (fail) { fail = false; throw new Error("disk full"); }
    return batch.map((m) => ({ ok: true as const, value: m }));
  });
  await t.throwsAsync(box.post("a"), { message: "disk full" });
  t.is(await box.post("b"), "b");
});

test("one message can be rejected while the others in its batch succeed", async (t) => {
  const box = new Mailbox<number, number>(async (batch) => batch.map((n) => (n % 2 ? { ok: true as const, value: n } : { ok: false as const, error: new Error(`even ${n}`) })));
  const results = await Promise.allSettled([box.post(1), box.post(2), box.post(3)]);
  t.deepEqual(results.map((r) => r.status), ["fulfilled", "rejected", "fulfilled"]);
});
