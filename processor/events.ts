// Stripe Event objects and the Stripe-Signature header, exactly as Stripe builds them, so the
// SDK's stripe.webhooks.constructEvent accepts what the processor sends.
import { createHmac } from "node:crypto";
import type { EventDraft } from "./intents.ts";

/** The API version the events are rendered in: the one the bundled SDK pins. */
export const API_VERSION = "2026-10-28.endive";

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export function eventOf(draft: EventDraft, id: string, created: number, request: { id: string | null; idempotencyKey: string | null }): StripeEvent {
  return {
    id, object: "event", api_version: API_VERSION, created, data: { object: draft.object }, livemode: false, pending_webhooks: 1,
    request: { id: request.id, idempotency_key: request.idempotencyKey }, type: draft.type,
  };
}

/** `t=<unix>,v1=<hex HMAC-SHA256 of "t.payload">`, keyed with the whole whsec_ secret as Stripe does. */
export function signatureHeader(payload: string, secret: string, timestamp: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${v1}`;
}
