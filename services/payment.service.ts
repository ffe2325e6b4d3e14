// Payments: Moleculer wiring around the payment gateway port (infra/payments). The show's actor
// records every attempt and refund before anything here is asked, and this service only carries
// those ids to the processor and the processor's answers (and its webhooks) back to the show.
// The gateway routes `webhook` and `checkout` only; the rest is called inside the main tier.
import type { Context, ServiceSchema } from "moleculer";
import { PaymentOutcomeUnknown, WebhookRejected, type PaymentGateway } from "../domain/payment/gateway.ts";
import type { PaymentOutcome } from "../domain/show/types.ts";
import { stripeGateway } from "../infra/payments/stripe-gateway.ts";
import type { MarqueeConfig } from "../moleculer.config.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { BadRequestError, MarqueeError, ServiceUnavailableError } from "./errors.ts";
import { count } from "./metrics.ts";
import { call, type Params } from "./contracts.ts";

type Ctx<P> = Context<P, CallMeta>;

/** Webhook events already applied, by event id; kept as long as idempotency records. */
export const WEBHOOK_EVENTS = "webhookEvents";

const id = { type: "string", min: 1, max: 200 } as const;
const attemptParams = {
  attemptId: id, showId: id, bookingId: id, userId: id, paymentId: { ...id, optional: true },
  amount: { type: "number", integer: true, positive: true }, currency: { type: "string", length: 3 },
} as const;
const refundParams = {
  refundId: id, showId: id, bookingId: id, paymentId: id, processorId: { ...id, optional: true }, currency: { type: "string", length: 3 },
  amount: { type: "number", integer: true, positive: true }, reason: { type: "string", min: 1, max: 100 },
} as const;

export function gatewayFor(config: MarqueeConfig): PaymentGateway {
  const p = config.payments;
  return stripeGateway({
    provider: p.provider, secretKey: p.secretKey, publishableKey: p.publishableKey, webhookSecret: p.webhookSecret, timeoutMs: p.timeoutMs, maxNetworkRetries: p.maxNetworkRetries,
    ...(p.apiBase ? { apiBase: p.apiBase } : {}),
    ...(p.provider === "local" && p.apiBase ? { checkoutPageUrl: new URL("/checkout", p.publicApiBase ?? p.apiBase).href } : {}),
  });
}

/** The processor could not be heard: a 503 saying the money is being looked into, not lost. */
const unknownOutcome = (error: PaymentOutcomeUnknown) =>
  new ServiceUnavailableError("The card processor did not answer; the payment is being checked and will be settled either way", 2, "PAYMENT_PROCESSOR_UNAVAILABLE", { reason: error.message });

export default function paymentService({ config, store }: ServiceDeps): ServiceSchema {
  const gateway = gatewayFor(config);

  async function heard<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      if (error instanceof PaymentOutcomeUnknown) throw unknownOutcome(error);
      throw error;
    }
  }

  return {
    name: "payment",

    actions: {
      /** Charges an attempt its show has recorded, with a payment method made at the processor. */
      pay: {
        params: { ...attemptParams, paymentMethod: { type: "string", min: 1, max: 200 }, returnUrl: { type: "url" } },
        async handler(ctx: Ctx<Params<"payment.pay">>): Promise<PaymentOutcome> {
          const { paymentMethod, returnUrl, ...attempt } = ctx.params;
          const outcome = await heard(gateway.pay(attempt, paymentMethod, returnUrl));
          count(this.broker, "marquee.payments.total", { status: outcome.status });
          return outcome;
        },
      },

      /** What became of an attempt; one that never began charging is voided by the asking. */
      settle: {
        params: { ...attemptParams, customerTimeUp: "boolean" },
        async handler(ctx: Ctx<Params<"payment.settle">>): Promise<PaymentOutcome | null> {
          const { customerTimeUp, ...attempt } = ctx.params;
          return (await heard(gateway.settle(attempt, customerTimeUp))) ?? null;
        },
      },

      refund: {
        params: refundParams,
        async handler(ctx: Ctx<Params<"payment.refund">>) {
          const outcome = await heard(gateway.refund(ctx.params));
          if (outcome.status !== "failed") {
            const labels = { currency: ctx.params.currency, reason: ctx.params.reason };
            count(this.broker, "marquee.refunds.total", labels);
            count(this.broker, "marquee.refunds.amount.total", labels, ctx.params.amount);
          }
          return outcome;
        },
      },

      refundStatus: {
        params: refundParams,
        handler(ctx: Ctx<Params<"payment.refundStatus">>) {
          return heard(gateway.refundStatus(ctx.params));
        },
      },

      /** What the web app needs to send a customer to the processor's card page. */
      checkout: {
        handler() {
          return gateway.checkout;
        },
      },

      /**
       * A processor's signed event. Verified first (a bad or stale signature is a 400); applied
       * through the show's actor, where the first word on an attempt stands and a refund only moves
       * forward, so events may come twice, late or out of order. An event is marked seen only
       * once applied: one that fails half-way is answered 503 and the processor sends it again.
       */
      webhook: {
        params: { payload: { type: "string", max: 1_000_000 }, signature: { type: "string", max: 2000 } },
        async handler(ctx: Ctx<{ payload: string; signature: string }>) {
          let event;
          try {
            event = await heard(gateway.event(ctx.params.payload, ctx.params.signature));
          } catch (error) {
            if (error instanceof WebhookRejected) throw new BadRequestError(`Webhook signature rejected: ${error.message}`, "WEBHOOK_SIGNATURE_INVALID");
            throw error;
          }
          if (await store.get(WEBHOOK_EVENTS, event.id)) return { received: true, duplicate: true };
          for (const update of event.updates) {
            try {
              if (update.kind === "payment") {
                await call(ctx, "show.recordPayment", { showId: update.showId, bookingId: update.bookingId, attemptId: update.attemptId, outcome: update.outcome });
              } else {
                await call(ctx, "show.recordRefund", {
                  showId: update.showId, bookingId: update.bookingId, refundId: update.refundId, status: update.outcome.status,
                  ...(update.outcome.processorId ? { processorId: update.outcome.processorId } : {}),
                });
              }
            } catch (error) {
              // About money this platform never recorded (another deployment on the same account):
              // nothing to apply, and telling the processor to retry would not change that.
              if (!(error instanceof MarqueeError && error.code === 404)) throw error;
              this.logger.warn(`payment: webhook ${event.id} (${event.type}) names an unknown ${update.kind}; ignored`);
            }
          }
          await store.put(WEBHOOK_EVENTS, event.id, { type: event.type, at: new Date().toISOString() });
          count(this.broker, "marquee.payment.webhooks.total", { type: event.type });
          return { received: true };
        },
      },
    },
  };
}
