// The fault plan: what goes wrong on purpose, for tests and the simulator. Written as
// `latency=200,timeout_after_charge=0.3,webhook_delay=2000,webhook_duplicate=1,webhook_reorder=1,
// webhook_drop=0.5,decline=0.1,refund_settle=1000,seed=42` (rates are probabilities 0..1, times
// milliseconds). Draws come from a seeded generator, so a run with a seed is repeatable.
import { mulberry32 } from "../domain/random.ts";

export interface FaultPlan {
  /** Added before every API answer. */
  latencyMs: number;
  /** A confirm declined as generic_decline whatever the card. */
  decline: number;
  /** A confirm that charges, then never answers: the client times out not knowing the outcome. */
  timeoutAfterCharge: number;
  /** Added before each webhook's first attempt. */
  webhookDelayMs: number;
  webhookDuplicate: number;
  /** An event held back and delivered after later ones. */
  webhookReorder: number;
  /** An event never delivered. */
  webhookDrop: number;
  /** How long a refund stays pending. */
  refundSettleMs: number;
  seed: number;
}

export const NO_FAULTS: FaultPlan = {
  latencyMs: 0, decline: 0, timeoutAfterCharge: 0, webhookDelayMs: 0, webhookDuplicate: 0, webhookReorder: 0, webhookDrop: 0, refundSettleMs: 0, seed: 1,
};

const NAMES: Record<string, { field: keyof FaultPlan; rate: boolean }> = {
  latency: { field: "latencyMs", rate: false },
  decline: { field: "decline", rate: true },
  timeout_after_charge: { field: "timeoutAfterCharge", rate: true },
  webhook_delay: { field: "webhookDelayMs", rate: false },
  webhook_duplicate: { field: "webhookDuplicate", rate: true },
  webhook_reorder: { field: "webhookReorder", rate: true },
  webhook_drop: { field: "webhookDrop", rate: true },
  refund_settle: { field: "refundSettleMs", rate: false },
  seed: { field: "seed", rate: false },
};

export const FAULT_NAMES = Object.keys(NAMES);

/** Reads `name=value,...` over `base`; the error names the part that is wrong. */
export function parseFaults(text: string, base: FaultPlan = NO_FAULTS): FaultPlan | { error: string } {
  const plan = { ...base };
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [name, value, extra] = part.split("=");
    const known = name === undefined ? undefined : NAMES[name.trim()];
    if (!known || extra !== undefined) return { error: `unknown fault "${part}": expected one of ${FAULT_NAMES.join(", ")} as name=value` };
    const n = Number(value);
    if (value === undefined || value.trim() === "" || !Number.isFinite(n) || n < 0 || (known.rate && n > 1)) {
      return { error: `fault "${part}": ${known.rate ? "a rate between 0 and 1" : "a non-negative number"} is expected` };
    }
    plan[known.field] = n;
  }
  return plan;
}

export const formatFaults = (plan: FaultPlan): string =>
  Object.entries(NAMES).filter(([name, { field }]) => name === "seed" || plan[field] !== 0).map(([name, { field }]) => `${name}=${plan[field]}`).join(",");

/** Draws in [0, 1) from a seed: the simulator's generator, so both repeat the same way. */
export const seeded = (seed: number): (() => number) => mulberry32(seed);

/** A fault fires with probability `rate`; a rate of 0 draws nothing, so it never shifts the sequence. */
export const fires = (rate: number, draw: () => number): boolean => rate > 0 && (rate >= 1 || draw() < rate);

/**
 * When each copy of a webhook is due, in ms from now: none when dropped, two when duplicated.
 * A reordered event is held for `holdMs` plus a random share of it, so events sent after it
 * within that window overtake it.
 */
export function deliveryPlan(plan: FaultPlan, draw: () => number, holdMs: number): number[] {
  if (fires(plan.webhookDrop, draw)) return [];
  const held = fires(plan.webhookReorder, draw) ? holdMs + Math.floor(draw() * holdMs) : 0;
  const first = plan.webhookDelayMs + held;
  return fires(plan.webhookDuplicate, draw) ? [first, first + 1] : [first];
}
