// Refunds of a succeeded payment: never more than was captured in total, pending until the
// bank settles them (a configurable time), then succeeded. Pure, like the intent machine.
import { invalidParam, invalidRequest, missingParam, type ApiError } from "./errors.ts";
import type { Params } from "./form.ts";
import { nextVersion, type Charge, type Context, type PaymentRecord, type Refund, type Step } from "./intents.ts";
import { integerParam, isError, metadataParam, stringParam, unknownParam } from "./params.ts";

const REASONS = ["duplicate", "fraudulent", "requested_by_customer"];
export const REFUND_PARAMS = ["payment_intent", "amount", "reason", "metadata", "expand"];

/** The payment a refund request names (checked before the record is read). */
export function refundTarget(params: Params): string | ApiError {
  const refused = unknownParam(params, REFUND_PARAMS);
  if (refused) return refused;
  const id = stringParam(params, "payment_intent");
  if (isError(id)) return id;
  return id ?? missingParam("payment_intent");
}

const withRefunds = (charge: Charge, data: Refund[]): Charge => {
  const amountRefunded = data.reduce((sum, r) => sum + r.amount, 0);
  return { ...charge, amount_refunded: amountRefunded, refunded: amountRefunded === charge.amount, refunds: { ...charge.refunds, data } };
};

/**
 * Refunds part or all of what is left; the refund settles at `settleAt` (epoch ms), or at once
 * when it is 0, as card refunds do in Stripe's test mode.
 */
export function refund(record: PaymentRecord, params: Params, settleAt: number, ctx: Context): { step: Step | undefined; refund: Refund } | ApiError {
  const { charge, intent } = record;
  if (!charge || intent.status !== "succeeded") {
    return invalidRequest(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`, "charge_not_refundable", "payment_intent");
  }
  // Made already under this request's Idempotency-Key (its answer was lost): that refund, once.
  const id = ctx.newId("re");
  const again = charge.refunds.data.find((r) => r.id === id);
  if (again) return { step: undefined, refund: again };
  const left = charge.amount - charge.amount_refunded;
  if (left === 0) return invalidRequest(`Charge ${charge.id} has already been refunded.`, "charge_already_refunded");
  const amount = integerParam(params, "amount");
  if (isError(amount)) return amount;
  if (amount !== undefined && amount < 1) return invalidParam("amount", "Refund amount must be a positive integer.", "parameter_invalid_integer");
  if (amount !== undefined && amount > left) {
    return invalidRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, "amount_too_large", "amount");
  }
  const reason = stringParam(params, "reason");
  if (isError(reason)) return reason;
  if (reason !== undefined && !REASONS.includes(reason)) return invalidParam("reason", `Invalid reason: must be one of ${REASONS.join(", ")}`);
  const metadata = metadataParam(params);
  if (isError(metadata)) return metadata;
  const made: Refund = {
    id, object: "refund", amount: amount ?? left, charge: charge.id, created: ctx.now, currency: charge.currency,
    metadata, payment_intent: intent.id, reason: reason ?? null, status: settleAt === 0 ? "succeeded" : "pending",
  };
  const nextCharge = withRefunds(charge, [...charge.refunds.data, made]);
  const settlements = settleAt === 0 ? record.settlements : { ...record.settlements, [made.id]: settleAt };
  const next = nextVersion(record, {}, { charge: nextCharge, settlements });
  return { step: { record: next, events: [{ type: "charge.refunded", object: nextCharge }] }, refund: made };
}

/** Settles every pending refund that is due at `nowMs`; undefined when none is. */
export function settleRefunds(record: PaymentRecord, nowMs: number): Step | undefined {
  const due = Object.entries(record.settlements).filter(([, at]) => at <= nowMs).map(([id]) => id);
  if (due.length === 0 || !record.charge) return undefined;
  const data = record.charge.refunds.data.map((r) => (due.includes(r.id) ? { ...r, status: "succeeded" as const } : r));
  const settlements = Object.fromEntries(Object.entries(record.settlements).filter(([id]) => !due.includes(id)));
  const next = nextVersion(record, {}, { charge: withRefunds(record.charge, data), settlements });
  return { record: next, events: data.filter((r) => due.includes(r.id)).map((r) => ({ type: "refund.updated" as const, object: r })) };
}

export const refundIn = (record: PaymentRecord, id: string): Refund | undefined => record.charge?.refunds.data.find((r) => r.id === id);
