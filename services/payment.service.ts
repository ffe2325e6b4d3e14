// The simulated card processor. Charges and refunds are idempotent by key, so a charge retried
// inside the cluster takes money once. The amount always comes from the caller inside the
// main tier (the admin component, from the hold's quote); this service is not routed by the gateway.
import type { Context, ServiceSchema } from "moleculer";
import { cardProblem, digitsOf, type CardInput } from "../domain/payment/card.ts";
import { charge, refund, storedCard, type Payment } from "../domain/payment/payment.ts";
import { idempotent } from "./idempotency.ts";
import { callerOf, mayAccess } from "./caller.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { newId } from "./ids.ts";
import { count } from "./metrics.ts";
import { cardParam } from "./params.ts";
import { NotFoundError, UnprocessableError } from "./errors.ts";

type Ctx<P> = Context<P, CallMeta>;

const id = { type: "string", min: 1, max: 200 } as const; // idempotency keys carry a prefix

interface ChargeParams { bookingId: string; userId: string; amount: number; currency: string; card: CardInput; idempotencyKey: string }
interface RefundParams { paymentId: string; amount?: number; reason: string; idempotencyKey: string }

export default function paymentService({ store }: ServiceDeps): ServiceSchema {
  return {
    name: "payment",

    actions: {
      charge: {
        params: {
          bookingId: id, userId: id, idempotencyKey: id,
          amount: { type: "number", integer: true, positive: true },
          currency: { type: "string", length: 3 },
          card: cardParam,
        },
        async handler(ctx: Ctx<ChargeParams>) {
          const { card, idempotencyKey, ...rest } = ctx.params;
          const problem = cardProblem(card, Date.now());
          if (problem) throw new UnprocessableError(problem.message, problem.type, { card: { last4: digitsOf(card.number).slice(-4) } });
          // The fingerprint names the card by what is stored of it, never by its full number.
          const request = { ...rest, card: storedCard(card) };
          return idempotent(store, "charge", idempotencyKey, request, async () => {
            const payment = charge({ id: newId("pay"), ...rest, card }, Date.now());
            await store.put("payments", payment.id, payment);
            return payment;
          });
        },
      },

      refund: {
        params: {
          paymentId: id, idempotencyKey: id,
          amount: { type: "number", integer: true, positive: true, optional: true },
          reason: { type: "string", min: 1, max: 100 },
        },
        async handler(ctx: Ctx<RefundParams>) {
          const { idempotencyKey, ...request } = ctx.params;
          return idempotent(store, "refund", idempotencyKey, request, async () => {
            const payment = await store.get<Payment>("payments", request.paymentId);
            if (!payment) throw new NotFoundError("Payment", request.paymentId, "PAYMENT_NOT_FOUND");
            // Refunds of one payment come from one booking's workflow, whose states never run two
            // at once; the idempotency key covers retries of the same one.
            const outcome = refund(payment, { id: newId("re"), amount: request.amount, reason: request.reason }, Date.now());
            if ("type" in outcome) throw new UnprocessableError(outcome.message, outcome.type, { paymentId: payment.id });
            await store.put("payments", payment.id, outcome.payment);
            // Inside the idempotent step, so a retried refund is counted once.
            const labels = { currency: outcome.refund.currency, reason: outcome.refund.reason };
            count(this.broker, "marquee.refunds.total", labels);
            count(this.broker, "marquee.refunds.amount.total", labels, outcome.refund.amount);
            return outcome.refund;
          });
        },
      },

      get: {
        params: { paymentId: id },
        async handler(ctx: Ctx<{ paymentId: string }>) {
          const caller = callerOf(ctx);
          const payment = await store.get<Payment>("payments", ctx.params.paymentId);
          if (!payment || !mayAccess(caller, payment.userId)) throw new NotFoundError("Payment", ctx.params.paymentId, "PAYMENT_NOT_FOUND");
          return payment;
        },
      },
    },
  };
}
