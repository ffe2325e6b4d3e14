import test from "ava";
import { deliveryPlan, fires, formatFaults, NO_FAULTS, parseFaults, seeded, type FaultPlan } from "../../processor/faults.ts";

test("the fault syntax reads every fault, and writes back what it read", (t) => {
  const plan = parseFaults("latency=200,timeout_after_charge=0.3,webhook_delay=2000,webhook_duplicate=1,webhook_reorder=1,webhook_drop=0.5,decline=0.1,refund_settle=50,seed=42") as FaultPlan;
  t.deepEqual(plan, { latencyMs: 200, timeoutAfterCharge: 0.3, webhookDelayMs: 2000, webhookDuplicate: 1, webhookReorder: 1, webhookDrop: 0.5, decline: 0.1, refundSettleMs: 50, seed: 42 });
  t.deepEqual(parseFaults(formatFaults(plan)), plan);
  t.deepEqual(parseFaults(""), NO_FAULTS);
});

test("an unknown fault, a rate above 1 or a negative time is refused, naming it", (t) => {
  t.regex((parseFaults("lag=1") as { error: string }).error, /lag=1/);
  t.regex((parseFaults("decline=2") as { error: string }).error, /between 0 and 1/);
  t.regex((parseFaults("latency=-5") as { error: string }).error, /non-negative/);
  t.regex((parseFaults("latency") as { error: string }).error, /latency/);
});

test("draws repeat for a seed, and a zero rate never fires nor draws", (t) => {
  const a = seeded(42);
  const b = seeded(42);
  t.deepEqual([a(), a(), a()], [b(), b(), b()]);
  let draws = 0;
  const counted = () => { draws++; return 0; };
  t.false(fires(0, counted));
  t.true(fires(1, counted));
  t.is(draws, 0);
});

test("webhooks are dropped, duplicated, delayed or held back as the plan says", (t) => {
  const draw = seeded(1);
  t.deepEqual(deliveryPlan(NO_FAULTS, draw, 500), [0]);
  t.deepEqual(deliveryPlan({ ...NO_FAULTS, webhookDrop: 1 }, draw, 500), []);
  t.deepEqual(deliveryPlan({ ...NO_FAULTS, webhookDuplicate: 1, webhookDelayMs: 100 }, draw, 500), [100, 101]);
  const held = deliveryPlan({ ...NO_FAULTS, webhookReorder: 1 }, draw, 500);
  t.is(held.length, 1);
  t.true(held[0]! >= 500 && held[0]! < 1000);
});
