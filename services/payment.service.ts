// The simulated card processor. Every charge is keyed by the attempt id its show recorded before
// calling, and an attempt's outcome is written with one put-if-absent: a charge retried inside
// the cluster takes money once, and the reconciler asking about an attempt the processor never
// finished voids it, so a late charge can never take money nobody is waiting for. The amount
// always comes from the caller inside the main tier (the hold's quote); the gateway routes none
// of these actions.
import type { Context, ServiceSchema } from "moleculer";
import { cardProblem, digitsOf, type CardInput } from "../domain/payment/card.ts";
import { charge, paymentIdOf, refund, refundNow, voided, type Payment, type Refund } from "../domain/payment/payment.ts";
import { callerOf, mayAccess } from "./caller.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { count } from "./metrics.ts";
import { cardParam } from "./params.ts";
import { NotFoundError, UnprocessableError } from "./errors.ts";

type Ctx<P> = Context<P, CallMeta>;

const id = { type: "string", min: 1, max: 200 } as const;

interface ChargeParams { attemptId: string; bookingId: string; userId: string; amount: number; currency: string; card: CardInput }
interface RefundParams { refundId: string; paymentId: string; amount: number; reason: string }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default function paymentService({ config, store }: ServiceDeps): ServiceSchema {
  /** The payment an attempt became; asking voids an attempt the processor has not charged. */
  async function outcomeOf(attemptId: string): Promise<Payment> {
    const paymentId = paymentIdOf(attemptId);
    const existing = await store.get<Payment>("payments", paymentId);
    if (existing) return existing;
    if (await store.putIfAbsent("payments", paymentId, voided(attemptId, Date.now()))) return voided(attemptId, Date.now());
    return (await store.get<Payment>("payments", paymentId))!;
  }

  async function refundsOf(paymentId: string): Promise<Refund[]> {
    const ids = await store.members(`paymentRefunds:${paymentId}`);
    const now = Date.now();
    return (await store.getMany<Refund>("refunds", ids)).filter((r): r is Refund => !!r).map((r) => refundNow(r, now));
  }

  return {
    name: "payment",

    actions: {
      charge: {
        params: {
          attemptId: id, bookingId: id, userId: id,
          amount: { type: "number", integer: true, positive: true },
          currency: { type: "string", length: 3 },
          card: cardParam,
        },
        async handler(ctx: Ctx<ChargeParams>): Promise<Payment> {
          const { card, ...rest } = ctx.params;
          const problem = cardProblem(card, Date.now());
          if (problem) throw new UnprocessableError(problem.message, problem.type, { card: { last4: digitsOf(card.number).slice(-4) } });
          // A real processor takes its time; tests make it slow to race other requests against it.
          if (config.paymentLatencyMs > 0) await sleep(config.paymentLatencyMs);
          const payment = charge({ ...rest, card }, Date.now());
          if (await store.putIfAbsent("payments", payment.id, payment)) return payment;
          // Charged already (a retry), or voided by the reconciler meanwhile: that outcome stands.
          return (await store.get<Payment>("payments", payment.id))!;
        },
      },

      /** What became of an attempt; one the processor never charged is voided by the asking. */
      outcome: {
        params: { attemptId: id },
        handler(ctx: Ctx<{ attemptId: string }>): Promise<Payment> {
          return outcomeOf(ctx.params.attemptId);
        },
      },

      refund: {
        params: {
          refundId: id, paymentId: id, reason: { type: "string", min: 1, max: 100 },
          amount: { type: "number", integer: true, positive: true },
        },
        async handler(ctx: Ctx<RefundParams>): Promise<Refund> {
          const { refundId, paymentId, amount, reason } = ctx.params;
          const existing = await store.get<Refund>("refunds", refundId);
          if (existing) return refundNow(existing, Date.now());
          const payment = await store.get<Payment>("payments", paymentId);
          if (!payment) throw new NotFoundError("Payment", paymentId, "PAYMENT_NOT_FOUND");
          const refunded = (await refundsOf(paymentId)).reduce((sum, r) => sum + r.amount, 0);
          const outcome = refund(payment, refunded, { id: refundId, amount, reason }, Date.now(), config.refundSettleMs);
          if ("type" in outcome) throw new UnprocessableError(outcome.message, outcome.type, { paymentId });
          // Indexed before it is written: a crash between the two leaves an index entry with no
          // refund behind it, never a refund the payment does not count.
          await store.addToSet(`paymentRefunds:${paymentId}`, refundId);
          if (await store.putIfAbsent("refunds", refundId, outcome)) {
            const labels = { currency: outcome.currency, reason };
            count(this.broker, "marquee.refunds.total", labels);
            count(this.broker, "marquee.refunds.amount.total", labels, outcome.amount);
            return outcome;
          }
          return refundNow((await store.get<Refund>("refunds", refundId))!, Date.now());
        },
      },

      /** A refund as it stands now (a pending one settles in its time). */
      refundStatus: {
        params: { refundId: id },
        async handler(ctx: Ctx<{ refundId: string }>): Promise<Refund> {
          const found = await store.get<Refund>("refunds", ctx.params.refundId);
          if (!found) throw new NotFoundError("Refund", ctx.params.refundId, "REFUND_NOT_FOUND");
          return refundNow(found, Date.now());
        },
      },

      get: {
        params: { paymentId: id },
        async handler(ctx: Ctx<{ paymentId: string }>) {
          const caller = callerOf(ctx);
          const payment = await store.get<Payment>("payments", ctx.params.paymentId);
          if (!payment || payment.status === "canceled" || !mayAccess(caller, payment.userId)) throw new NotFoundError("Payment", ctx.params.paymentId, "PAYMENT_NOT_FOUND");
          return { ...payment, refunds: await refundsOf(payment.id) };
        },
      },
    },
  };
}
