// The payment gateway on Stripe's official SDK, with PaymentIntents. Nothing here assumes the
// local processor: pointed at api.stripe.com with a test-mode key it takes real test payments.
//
// One attempt is one PaymentIntent, created with the attempt id as its idempotency key and
// confirmed in a second call. Creating never moves money, so the reconciler can always find an
// attempt's intent by creating it again with the same key and parameters (Stripe replays the
// first answer), then cancel it if it never began charging: a late confirm then fails instead
// of taking money nobody waits for.
import Stripe from "stripe";
import {
  PaymentOutcomeUnknown, WebhookRejected, type AttemptRef, type GatewayUpdate, type PaymentGateway, type RefundOutcome, type RefundRef,
} from "../../domain/payment/gateway.ts";
import type { PaymentOutcome } from "../../domain/show/types.ts";
import { ABANDONED, cancellable, cardOf, failureCode, outcomeOfIntent, outcomeOfRefund, type Card } from "./stripe-outcome.ts";

export interface StripeGatewayOptions {
  /** What the web app is told it pays with ("stripe", or "local" for the processor in this repo). */
  provider: string;
  secretKey: string;
  publishableKey: string;
  webhookSecret: string;
  /** Where Stripe's API is (the local processor's URL); Stripe's own when unset. */
  apiBase?: string;
  /** The processor's hosted card page, when it has one Marquee's web app can send customers to. */
  checkoutPageUrl?: string;
  timeoutMs: number;
  maxNetworkRetries: number;
}

/** Answers that mean "the processor did not decide": the outcome is unknown, not failed. */
const unheard = (error: unknown): boolean => {
  const type = (error as { type?: string }).type;
  return !(error instanceof Stripe.errors.StripeError) || type === "StripeConnectionError" || type === "StripeAPIError"
    || type === "StripeRateLimitError" || type === "StripeIdempotencyError" || ((error as Stripe.errors.StripeError).statusCode ?? 500) >= 500;
};

/** Intents come back with their payment method inlined: its card's brand and last 4 need no second call. */
const WITH_METHOD = { expand: ["payment_method"] };

export function stripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const base = options.apiBase ? new URL(options.apiBase) : undefined;
  const stripe = new Stripe(options.secretKey, {
    timeout: options.timeoutMs,
    maxNetworkRetries: options.maxNetworkRetries,
    appInfo: { name: "Marquee" },
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === "https:" ? 443 : 80), protocol: base.protocol === "https:" ? "https" : "http" } : {}),
  });

  /** The same parameters every time, so creating again finds the first intent. */
  const intentParams = (a: AttemptRef): Stripe.PaymentIntentCreateParams => ({
    amount: a.amount, currency: a.currency.toLowerCase(), description: `Marquee booking ${a.bookingId}`,
    metadata: { attemptId: a.attemptId, bookingId: a.bookingId, showId: a.showId, userId: a.userId },
  });

  async function heard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (unheard(error)) throw new PaymentOutcomeUnknown(error);
      throw error;
    }
  }

  async function cardOfIntent(intent: Stripe.PaymentIntent): Promise<Card | undefined> {
    const method = intent.payment_method ?? intent.last_payment_error?.payment_method;
    if (!method) return undefined;
    if (typeof method !== "string") return cardOf(method);
    return cardOf(await stripe.paymentMethods.retrieve(method).catch(() => undefined));
  }

  async function intentOf(a: AttemptRef): Promise<Stripe.PaymentIntent> {
    if (a.paymentId) return stripe.paymentIntents.retrieve(a.paymentId, WITH_METHOD);
    const first = await stripe.paymentIntents.create(intentParams(a), { idempotencyKey: a.attemptId });
    // A replayed create answers as it did the first time: ask for the intent as it is now.
    return stripe.paymentIntents.retrieve(first.id, WITH_METHOD);
  }

  const outcomeOf = async (intent: Stripe.PaymentIntent) => outcomeOfIntent(intent, await cardOfIntent(intent));

  const refundParams = (r: RefundRef): Stripe.RefundCreateParams => ({
    payment_intent: r.paymentId, amount: r.amount,
    metadata: { refundId: r.refundId, bookingId: r.bookingId, showId: r.showId, reason: r.reason },
  });

  async function refund(r: RefundRef): Promise<RefundOutcome> {
    try {
      return outcomeOfRefund(await stripe.refunds.create(refundParams(r), { idempotencyKey: r.refundId }));
    } catch (error) {
      if (unheard(error)) throw new PaymentOutcomeUnknown(error);
      // Refused for good (nothing left to refund, no such payment): an operator's to look at.
      return { status: "failed" };
    }
  }

  return {
    checkout: { provider: options.provider, publishableKey: options.publishableKey, ...(options.checkoutPageUrl ? { pageUrl: options.checkoutPageUrl } : {}) },

    pay: (a, paymentMethod, returnUrl) => heard(async () => {
      let intent = await intentOf(a);
      if (intent.status === "requires_payment_method" && !intent.last_payment_error || intent.status === "requires_confirmation") {
        try {
          intent = await stripe.paymentIntents.confirm(intent.id, { payment_method: paymentMethod, return_url: returnUrl, ...WITH_METHOD }, { idempotencyKey: `${a.attemptId}:confirm` });
        } catch (error) {
          if (unheard(error)) throw error;
          const refused = error as Stripe.errors.StripeError;
          // A decline comes with the intent as it now stands; any other refusal (no such
          // payment method, an intent voided meanwhile) ends the attempt with the reason.
          if (refused.payment_intent) return (await outcomeOf(refused.payment_intent)) ?? failed(refused);
          const now = await stripe.paymentIntents.retrieve(intent.id, WITH_METHOD);
          return (await outcomeOf(now)) ?? failed(refused);
        }
      }
      return (await outcomeOf(intent)) ?? Promise.reject(new PaymentOutcomeUnknown(new Error(`payment ${intent.id} is ${intent.status}`)));
    }),

    settle: (a, customerTimeUp) => heard(async () => {
      const intent = await intentOf(a);
      const outcome = await outcomeOf(intent);
      if (outcome && (outcome.status !== "requires_action" || !customerTimeUp)) return outcome;
      if (!cancellable(intent)) return outcome;
      try {
        await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: "abandoned" });
        return { status: "failed", paymentId: intent.id, ...ABANDONED };
      } catch (error) {
        if (unheard(error)) throw error;
        // It moved on meanwhile (the customer's confirm got there first): that outcome stands.
        return outcomeOf(await stripe.paymentIntents.retrieve(intent.id, WITH_METHOD));
      }
    }),

    refund,

    refundStatus: (r) => heard(async () => (r.processorId ? outcomeOfRefund(await stripe.refunds.retrieve(r.processorId)) : refund(r))),

    async event(payload, signature) {
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(payload, signature, options.webhookSecret);
      } catch (error) {
        throw new WebhookRejected((error as Error).message);
      }
      return { id: event.id, type: event.type, updates: await heard(() => updatesOf(event)) };
    },
  };

  async function updatesOf(event: Stripe.Event): Promise<GatewayUpdate[]> {
    const object = event.data.object as { object?: string };
    if (object.object === "payment_intent") {
      const intent = object as Stripe.PaymentIntent;
      const { showId, bookingId, attemptId } = intent.metadata ?? {};
      if (!showId || !bookingId || !attemptId) return []; // not one of Marquee's
      const outcome = await outcomeOf(intent);
      return outcome ? [{ kind: "payment", showId, bookingId, attemptId, outcome }] : [];
    }
    const refunds = object.object === "refund" ? [object as Stripe.Refund]
      : object.object === "charge" ? ((object as Stripe.Charge).refunds?.data ?? []) : [];
    return refunds.flatMap((r): GatewayUpdate[] => {
      const { showId, bookingId, refundId } = r.metadata ?? {};
      return showId && bookingId && refundId ? [{ kind: "refund", showId, bookingId, refundId, outcome: outcomeOfRefund(r) }] : [];
    });
  }
}

function failed(error: Stripe.errors.StripeError): PaymentOutcome {
  return { status: "failed", code: error.code || error.decline_code ? failureCode(error) : "payment_refused", message: error.message };
}
