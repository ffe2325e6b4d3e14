// Reading decoded form parameters the way Stripe validates them: unknown names, integers,
// booleans and metadata are refused with Stripe's codes and the offending `param`.
import { invalidParam, invalidRequest, type ApiError } from "./errors.ts";
import type { Params } from "./form.ts";

/** The first parameter a request may not carry, as Stripe's `parameter_unknown`. */
export function unknownParam(params: Params, allowed: readonly string[]): ApiError | undefined {
  const extra = Object.keys(params).find((k) => !allowed.includes(k));
  return extra === undefined ? undefined : invalidRequest(`Received unknown parameter: ${extra}`, "parameter_unknown", extra);
}

export function integerParam(params: Params, name: string): number | undefined | ApiError {
  const raw = params[name];
  if (raw === undefined) return undefined;
  const n = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) ? n : invalidParam(name, `Invalid integer: ${typeof raw === "string" ? raw : "(object)"}`, "parameter_invalid_integer");
}

export function booleanParam(params: Params, name: string): boolean | ApiError {
  const raw = params[name];
  if (raw === undefined || raw === "false") return false;
  if (raw === "true") return true;
  return invalidParam(name, `Invalid boolean: ${typeof raw === "string" ? raw : "(object)"}`);
}

export function stringParam(params: Params, name: string): string | undefined | ApiError {
  const raw = params[name];
  if (raw === undefined) return undefined;
  return typeof raw === "string" ? raw : invalidParam(name, `Invalid string: ${name} must be a string`, "parameter_invalid_string");
}

/** Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500. */
export function metadataParam(params: Params): Record<string, string> | ApiError {
  const raw = params.metadata;
  if (raw === undefined || raw === "") return {};
  if (typeof raw !== "object" || Array.isArray(raw)) return invalidParam("metadata", "Invalid object: metadata must be a hash of strings");
  const entries = Object.entries(raw);
  if (entries.length > 50) return invalidParam("metadata", "Metadata can have at most 50 keys");
  for (const [key, value] of entries) {
    if (typeof value !== "string") return invalidParam(`metadata[${key}]`, "Metadata values must be strings");
    if (key.length > 40) return invalidParam(`metadata[${key}]`, "Metadata keys can be at most 40 characters");
    if (value.length > 500) return invalidParam(`metadata[${key}]`, "Metadata values can be at most 500 characters");
  }
  // fromEntries defines own properties, so a key such as __proto__ stays a plain key.
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A URL a browser may be sent to: http or https only. */
export function redirectUrl(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  try {
    const url = new URL(raw);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

export const isError = (value: unknown): value is ApiError =>
  typeof value === "object" && value !== null && "status" in value && "error" in value;
