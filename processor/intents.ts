// The PaymentIntent state machine, as Stripe runs it for automatic capture:
// requires_payment_method -> requires_confirmation -> (requires_action) -> succeeded, a decline
// or failed authentication back to requires_payment_method with last_payment_error, or canceled.
// Pure: the time (unix seconds), new ids and where the processor is reachable are parameters;
// each step returns the new record and the events to send, or a refusal that changes nothing.
import { DECLINE_MESSAGES, declineErrorCode, type DeclineCode, type PaymentMethod, type StoredMethod } from "./cards.ts";
import { invalidParam, missingParam, unexpectedState, type ApiError } from "./errors.ts";
import type { Params } from "./form.ts";
import { booleanParam, integerParam, isError, metadataParam, redirectUrl, stringParam, unknownParam } from "./params.ts";

export type IntentStatus = "requires_payment_method" | "requires_confirmation" | "requires_action" | "succeeded" | "canceled";

export interface LastPaymentError {
  type: "card_error" | "invalid_request_error";
  code: string;
  decline_code?: DeclineCode;
  message: string;
  payment_method: PaymentMethod;
}

export interface PaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: 0;
  amount_received: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: "automatic";
  client_secret: string;
  confirmation_method: "automatic";
  created: number;
  currency: string;
  description: string | null;
  last_payment_error: LastPaymentError | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  next_action: { type: "redirect_to_url"; redirect_to_url: { url: string; return_url: string | null } } | null;
  payment_method: string | null;
  payment_method_types: ["card"];
  status: IntentStatus;
}

export interface Refund {
  id: string;
  object: "refund";
  amount: number;
  charge: string;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: "pending" | "succeeded";
}

export interface Charge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: true;
  created: number;
  currency: string;
  description: string | null;
  livemode: false;
  metadata: Record<string, string>;
  paid: true;
  payment_intent: string;
  payment_method: string;
  payment_method_details: { type: "card"; card: { brand: string; last4: string; exp_month: number; exp_year: number } };
  refunded: boolean;
  refunds: { object: "list"; data: Refund[]; has_more: false; url: string };
  status: "succeeded";
}

/** Everything one payment is: the intent, its charge and refunds, and what is not shown. */
export interface PaymentRecord {
  /** Grows by one with every change: the store commits a change only at the next version. */
  version: number;
  intent: PaymentIntent;
  method: StoredMethod | null;
  charge: Charge | null;
  returnUrl: string | null;
  /** When each pending refund settles (epoch ms). */
  settlements: Record<string, number>;
}

export type EventType =
  | "payment_intent.succeeded" | "payment_intent.payment_failed" | "payment_intent.requires_action" | "payment_intent.canceled"
  | "charge.refunded" | "refund.updated";

export interface EventDraft { type: EventType; object: unknown }

/** A change: the record to commit, the events it sends, and the error the caller answers with (a decline). */
export interface Step { record: PaymentRecord; events: EventDraft[]; error?: ApiError }

export interface Context {
  /** Unix seconds, as Stripe's `created`. */
  now: number;
  newId(prefix: string): string;
  /** Where the processor's hosted pages are reached. */
  publicUrl: string;
}

const CREATE_PARAMS = ["amount", "currency", "payment_method", "confirm", "return_url", "metadata", "description", "capture_method", "payment_method_types", "expand", "automatic_payment_methods"];
export const CONFIRM_PARAMS = ["payment_method", "return_url", "expand"];

export function nextVersion(record: PaymentRecord, intent: Partial<PaymentIntent>, rest: Partial<PaymentRecord> = {}): PaymentRecord {
  return { ...record, ...rest, version: record.version + 1, intent: { ...record.intent, ...intent } };
}

/** The intent a create request opens (unconfirmed); `method` is the resolved payment_method, if any. */
export function openIntent(params: Params, method: StoredMethod | null, ctx: Context): PaymentRecord | ApiError {
  const refused = unknownParam(params, CREATE_PARAMS);
  if (refused) return refused;
  const amount = integerParam(params, "amount");
  if (isError(amount)) return amount;
  if (amount === undefined) return missingParam("amount");
  if (amount < 1 || amount > 99_999_999) return invalidParam("amount", "Amount must be between 1 and 99999999 (in the currency's smallest unit).", "amount_too_small");
  const currency = stringParam(params, "currency");
  if (isError(currency)) return currency;
  if (currency === undefined) return missingParam("currency");
  if (!/^[a-zA-Z]{3}$/.test(currency)) return invalidParam("currency", `Invalid currency: ${currency.slice(0, 20)}`);
  const capture = params.capture_method;
  if (capture !== undefined && capture !== "automatic") return invalidParam("capture_method", "Only capture_method=automatic is supported by this processor.");
  const types = params.payment_method_types;
  if (types !== undefined && !(Array.isArray(types) && types.length === 1 && types[0] === "card")) return invalidParam("payment_method_types", "Only payment_method_types[]=card is supported by this processor.");
  const metadata = metadataParam(params);
  if (isError(metadata)) return metadata;
  const description = stringParam(params, "description");
  if (isError(description)) return description;
  const returnUrl = stringParam(params, "return_url");
  if (isError(returnUrl)) return returnUrl;
  if (returnUrl !== undefined && !redirectUrl(returnUrl)) return invalidParam("return_url", "return_url must be an http or https URL.", "url_invalid");
  const id = ctx.newId("pi");
  return {
    version: 1,
    method,
    charge: null,
    returnUrl: returnUrl ?? null,
    settlements: {},
    intent: {
      id, object: "payment_intent", amount, amount_capturable: 0, amount_received: 0, canceled_at: null, cancellation_reason: null,
      capture_method: "automatic", client_secret: `${id}_secret_${ctx.newId("").slice(1)}`, confirmation_method: "automatic",
      created: ctx.now, currency: currency.toLowerCase(), description: description ?? null, last_payment_error: null, latest_charge: null,
      livemode: false, metadata, next_action: null, payment_method: method?.method.id ?? null, payment_method_types: ["card"],
      status: method ? "requires_confirmation" : "requires_payment_method",
    },
  };
}

const CONFIRMABLE: readonly IntentStatus[] = ["requires_payment_method", "requires_confirmation", "requires_action"];
const CANCELABLE: readonly IntentStatus[] = ["requires_payment_method", "requires_confirmation", "requires_action"];

function charged(record: PaymentRecord, method: StoredMethod, ctx: Context): Step {
  const { intent } = record;
  const { card } = method.method;
  const charge: Charge = {
    id: ctx.newId("ch"), object: "charge", amount: intent.amount, amount_captured: intent.amount, amount_refunded: 0, captured: true,
    created: ctx.now, currency: intent.currency, description: intent.description, livemode: false, metadata: intent.metadata, paid: true,
    payment_intent: intent.id, payment_method: method.method.id,
    payment_method_details: { type: "card", card: { brand: card.brand, last4: card.last4, exp_month: card.exp_month, exp_year: card.exp_year } },
    refunded: false, refunds: { object: "list", data: [], has_more: false, url: "" }, status: "succeeded",
  };
  charge.refunds.url = `/v1/charges/${charge.id}/refunds`;
  const next = nextVersion(record, { status: "succeeded", amount_received: intent.amount, latest_charge: charge.id, next_action: null, last_payment_error: null }, { charge });
  return { record: next, events: [{ type: "payment_intent.succeeded", object: next.intent }] };
}

function failed(record: PaymentRecord, lastError: LastPaymentError, error: ApiError): Step {
  const next = nextVersion(record, { status: "requires_payment_method", last_payment_error: lastError, next_action: null });
  return { record: next, events: [{ type: "payment_intent.payment_failed", object: next.intent }], error: { status: error.status, error: { ...error.error, payment_intent: next.intent } } };
}

function declined(record: PaymentRecord, method: StoredMethod, decline: DeclineCode): Step {
  const code = declineErrorCode(decline);
  const message = DECLINE_MESSAGES[decline];
  const lastError: LastPaymentError = { type: "card_error", code, decline_code: decline, message, payment_method: method.method };
  return failed(record, lastError, { status: 402, error: { type: "card_error", code, decline_code: decline, message, payment_method: method.method } });
}

/**
 * Confirms: charges, declines, or asks for 3-D Secure. `method` replaces the intent's own when
 * given; `forceDecline` is the fault plan's random decline.
 */
export function confirm(record: PaymentRecord, change: { method: StoredMethod | null; returnUrl?: string; forceDecline: boolean }, ctx: Context): Step | ApiError {
  const { intent } = record;
  if (!CONFIRMABLE.includes(intent.status)) {
    return unexpectedState(`You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`, intent);
  }
  if (change.returnUrl !== undefined && !redirectUrl(change.returnUrl)) return invalidParam("return_url", "return_url must be an http or https URL.", "url_invalid");
  const method = change.method ?? record.method;
  if (!method) {
    return invalidParam("payment_method", "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm it, update it with a payment_method or pass one when confirming.", "payment_intent_unexpected_state");
  }
  const returnUrl = change.returnUrl ?? record.returnUrl;
  const ready: PaymentRecord = { ...record, method, returnUrl, intent: { ...intent, payment_method: method.method.id } };
  const { behaviour } = method;
  if (change.forceDecline) return declined(ready, method, "generic_decline");
  if (behaviour.kind === "decline") return declined(ready, method, behaviour.decline);
  if (behaviour.kind === "approve") return charged(ready, method, ctx);
  const url = `${ctx.publicUrl}/3ds/${intent.id}?client_secret=${encodeURIComponent(intent.client_secret)}`;
  const next = nextVersion(ready, { status: "requires_action", last_payment_error: null, next_action: { type: "redirect_to_url", redirect_to_url: { url, return_url: returnUrl } } });
  return { record: next, events: [{ type: "payment_intent.requires_action", object: next.intent }] };
}

const AUTHENTICATION_FAILED = "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.";

/**
 * The customer's answer on the 3-D Secure page. Undefined when the intent no longer waits for
 * one (a second click, a canceled intent): nothing changes. A method whose challenge always
 * fails fails even when the customer completes it.
 */
export function authenticate(record: PaymentRecord, completed: boolean, ctx: Context): Step | undefined {
  const { method } = record;
  if (record.intent.status !== "requires_action" || !method || method.behaviour.kind !== "authenticate") return undefined;
  if (completed && method.behaviour.passes) return charged(record, method, ctx);
  const lastError: LastPaymentError = { type: "invalid_request_error", code: "payment_intent_authentication_failure", message: AUTHENTICATION_FAILED, payment_method: method.method };
  return failed(record, lastError, { status: 400, error: { type: "invalid_request_error", code: "payment_intent_authentication_failure", message: AUTHENTICATION_FAILED } });
}

const CANCELLATION_REASONS = ["duplicate", "fraudulent", "requested_by_customer", "abandoned"];

export function cancel(record: PaymentRecord, params: Params, ctx: Context): Step | ApiError {
  const refused = unknownParam(params, ["cancellation_reason", "expand"]);
  if (refused) return refused;
  const reason = stringParam(params, "cancellation_reason");
  if (isError(reason)) return reason;
  if (reason !== undefined && !CANCELLATION_REASONS.includes(reason)) return invalidParam("cancellation_reason", `Invalid cancellation_reason: must be one of ${CANCELLATION_REASONS.join(", ")}`);
  const { intent } = record;
  if (!CANCELABLE.includes(intent.status)) {
    return unexpectedState(`You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(", ")}.`, intent);
  }
  const next = nextVersion(record, { status: "canceled", canceled_at: ctx.now, cancellation_reason: reason ?? null, next_action: null });
  return { record: next, events: [{ type: "payment_intent.canceled", object: next.intent }] };
}

/** What a confirm request asks for, before its payment method is resolved. */
export function confirmRequest(params: Params): { paymentMethod?: string; returnUrl?: string } | ApiError {
  const refused = unknownParam(params, CONFIRM_PARAMS);
  if (refused) return refused;
  const paymentMethod = stringParam(params, "payment_method");
  if (isError(paymentMethod)) return paymentMethod;
  const returnUrl = stringParam(params, "return_url");
  if (isError(returnUrl)) return returnUrl;
  return { paymentMethod, returnUrl };
}

export const wantsConfirm = (params: Params): boolean | ApiError => booleanParam(params, "confirm");

/** The intent as a response shows it: `expand[]=latest_charge` and `expand[]=payment_method` inline those objects. */
export function intentView(record: PaymentRecord, params: Params): PaymentIntent | Record<string, unknown> {
  const expand = Array.isArray(params.expand) ? params.expand : typeof params.expand === "string" ? [params.expand] : [];
  let view: Record<string, unknown> = record.intent as unknown as Record<string, unknown>;
  if (expand.includes("latest_charge") && record.charge) view = { ...view, latest_charge: record.charge };
  if (expand.includes("payment_method") && record.method) view = { ...view, payment_method: record.method.method };
  return view;
}
