// The Stripe REST subset the gateway adapter uses, as handlers over the pure state machine:
// payment methods, payment intents (create, confirm, retrieve, cancel), refunds, and the
// test helper that changes the fault plan at run time.
import { cardMethod } from "./cards.ts";
import { invalidRequest, notFound, type ApiError } from "./errors.ts";
import { formatFaults, fires, parseFaults } from "./faults.ts";
import type { Params } from "./form.ts";
import { json, route, type Reply, type Route } from "./http.ts";
import { cancel, confirm, confirmRequest, intentView, openIntent, wantsConfirm, type PaymentRecord, type Step } from "./intents.ts";
import type { Change } from "./ledger.ts";
import { isError, stringParam, unknownParam } from "./params.ts";
import { refund, refundIn, refundTarget } from "./refunds.ts";
import { newId, type RequestInfo, type Runtime } from "./runtime.ts";

export interface Call {
  params: Params;
  path: Record<string, string>;
  request: RequestInfo;
}

/** A reply; `hangUp` when the fault plan wants it never sent, though the work is done. */
export type Answer = Reply & { hangUp?: boolean };
export type Handler = (call: Call) => Promise<Answer>;
export interface ApiRoute { publishable: boolean; handler: Handler }

export const errorReply = (e: ApiError): Answer => json(e.status, { error: e.error });

/** The reply to a change of a payment: its intent, or the error it was refused with. */
async function changed(rt: Runtime, change: Change, request: RequestInfo, id: string, params: Params): Promise<Answer> {
  await rt.after(change, request);
  if ("missing" in change) return errorReply(notFound("payment_intent", id));
  if ("refused" in change) return errorReply(change.refused);
  const step = "committed" in change ? change.committed : { record: change.unchanged, events: [] };
  return intentAnswer(rt, step, params);
}

/** A confirm that charged may hang up instead of answering: the charge stands, the client cannot know. */
function intentAnswer(rt: Runtime, step: Step, params: Params): Answer {
  if (step.error) return errorReply(step.error);
  const hangUp = step.events.some((e) => e.type === "payment_intent.succeeded") && fires(rt.faults.timeoutAfterCharge, rt.draw);
  return { ...json(200, intentView(step.record, params)), hangUp };
}

async function confirmIntent(rt: Runtime, id: string, params: Params, request: RequestInfo): Promise<Answer> {
  const asked = confirmRequest(params);
  if (isError(asked)) return errorReply(asked);
  const method = asked.paymentMethod === undefined ? null : await rt.method(asked.paymentMethod);
  if (isError(method)) return errorReply(method);
  const forceDecline = fires(rt.faults.decline, rt.draw);
  const ctx = rt.context();
  return changed(rt, await rt.ledger.change(id, (r) => confirm(r, { method, returnUrl: asked.returnUrl, forceDecline }, ctx)), request, id, params);
}

function routes(rt: Runtime): Route<ApiRoute>[] {
  const secret = (handler: Handler): ApiRoute => ({ publishable: false, handler });
  return [
    route("POST /v1/payment_methods", {
      publishable: true,
      handler: async ({ params }) => {
        const refused = unknownParam(params, ["type", "card", "billing_details", "metadata", "expand"]);
        if (refused) return errorReply(refused);
        const made = cardMethod(newId("pm"), params, Math.floor(Date.now() / 1000));
        if (isError(made)) return errorReply(made);
        await rt.ledger.saveMethod(made);
        return json(200, made.method);
      },
    }),
    route("GET /v1/payment_methods/:id", secret(async ({ path }) => {
      const found = await rt.method(path.id!, "id");
      return isError(found) ? errorReply(found) : json(200, found.method);
    })),
    route("POST /v1/payment_intents", secret(async ({ params, request }) => {
      const confirmNow = wantsConfirm(params);
      if (isError(confirmNow)) return errorReply(confirmNow);
      const methodId = stringParam(params, "payment_method");
      if (isError(methodId)) return errorReply(methodId);
      const method = methodId === undefined ? null : await rt.method(methodId);
      if (isError(method)) return errorReply(method);
      const { confirm: _confirm, ...rest } = params;
      const record = openIntent(rest, method, rt.context(request));
      if (isError(record)) return errorReply(record);
      if (!(await rt.ledger.open(record))) {
        // Made already by this request under its key; its answer was lost: answer as it stands.
        const existing = await rt.current(record.intent.id);
        return existing ? json(200, intentView(existing, params)) : errorReply(notFound("payment_intent", record.intent.id));
      }
      if (!confirmNow) return json(200, intentView(record, params));
      return confirmIntent(rt, record.intent.id, params.expand === undefined ? {} : { expand: params.expand }, request);
    })),
    route("GET /v1/payment_intents/:id", secret(async ({ path, params }) => {
      const record = await rt.current(path.id!);
      return record ? json(200, intentView(record, params)) : errorReply(notFound("payment_intent", path.id!));
    })),
    route("POST /v1/payment_intents/:id/confirm", secret(({ path, params, request }) => confirmIntent(rt, path.id!, params, request))),
    route("POST /v1/payment_intents/:id/cancel", secret(async ({ path, params, request }) => {
      const ctx = rt.context();
      return changed(rt, await rt.ledger.change(path.id!, (r) => cancel(r, params, ctx)), request, path.id!, params);
    })),
    route("POST /v1/refunds", secret(async ({ params, request }) => {
      const target = refundTarget(params);
      if (isError(target)) return errorReply(target);
      const ctx = rt.context(request);
      const settleAt = rt.faults.refundSettleMs > 0 ? Date.now() + rt.faults.refundSettleMs : 0;
      let made: ReturnType<typeof refund> | undefined;
      const change = await rt.ledger.change(target, (r: PaymentRecord) => {
        made = refund(r, params, settleAt, ctx);
        return isError(made) ? made : made.step;
      });
      if ("missing" in change) return errorReply({ ...notFound("payment_intent", target, "payment_intent"), status: 400 });
      if ("refused" in change) return errorReply(change.refused);
      if (!made || isError(made)) return errorReply(invalidRequest("The refund could not be made."));
      await rt.ledger.indexRefund(made.refund.id, target);
      await rt.after(change, request);
      rt.settleLater(target, settleAt);
      return json(200, made.refund);
    })),
    route("GET /v1/refunds/:id", secret(async ({ path }) => {
      const owner = await rt.ledger.refundOwner(path.id!);
      const record = owner === undefined ? undefined : await rt.current(owner);
      const found = record && refundIn(record, path.id!);
      return found ? json(200, found) : errorReply(notFound("refund", path.id!));
    })),
    route("GET /v1/test_helpers/faults", secret(async () => json(200, { object: "fault_plan", faults: formatFaults(rt.faults) }))),
    route("POST /v1/test_helpers/faults", secret(async ({ params }) => {
      const refused = unknownParam(params, ["faults"]);
      if (refused) return errorReply(refused);
      const text = stringParam(params, "faults");
      if (isError(text)) return errorReply(text);
      const plan = parseFaults(text ?? "", rt.faults);
      if ("error" in plan) return errorReply(invalidRequest(plan.error, "parameter_invalid", "faults"));
      rt.faults = plan;
      return json(200, { object: "fault_plan", faults: formatFaults(plan) });
    })),
  ];
}

export { routes as apiRoutes };
