// Stripe's error envelope and the statuses the SDK maps to its error classes (400 and 404 ->
// StripeInvalidRequestError, or StripeIdempotencyError when type is idempotency_error; 401 ->
// StripeAuthenticationError; 402 -> StripeCardError).

export type ErrorType = "invalid_request_error" | "card_error" | "idempotency_error" | "api_error";

export interface StripeErrorBody {
  type: ErrorType;
  code?: string;
  decline_code?: string;
  message: string;
  param?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
}

export interface ApiError { status: number; error: StripeErrorBody }

export const invalidRequest = (message: string, code?: string, param?: string): ApiError =>
  ({ status: 400, error: { type: "invalid_request_error", message, ...(code && { code }), ...(param && { param }) } });

export const missingParam = (param: string): ApiError => invalidRequest(`Missing required param: ${param}.`, "parameter_missing", param);

export const invalidParam = (param: string, message: string, code = "parameter_invalid"): ApiError => invalidRequest(message, code, param);

export const notFound = (kind: string, id: string, param = "id"): ApiError =>
  ({ status: 404, error: { type: "invalid_request_error", code: "resource_missing", message: `No such ${kind}: '${id}'`, param } });

export const unauthorized = (message: string): ApiError => ({ status: 401, error: { type: "invalid_request_error", message } });

export const unexpectedState = (message: string, intent: unknown): ApiError =>
  ({ status: 400, error: { type: "invalid_request_error", code: "payment_intent_unexpected_state", message, payment_intent: intent } });

