// The little HTTP a Stripe-shaped API needs on node:http: bodies read with a limit, JSON and
// HTML answers, and a router of `METHOD /path/:param` patterns.
import type { IncomingMessage, ServerResponse } from "node:http";

export const BODY_LIMIT = 64 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) throw new BodyTooLarge("request body too large");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export interface Reply {
  status: number;
  /** JSON text, or an HTML page when `html` is set. */
  body: string;
  html?: boolean;
  /** Another origin a page's form may lead to (a redirect after it is posted counts, in Chromium). */
  formTarget?: string;
  headers?: Record<string, string>;
}

export const json = (status: number, value: unknown, headers?: Record<string, string>): Reply => ({ status, body: JSON.stringify(value, null, 2), headers });
export const html = (status: number, page: string, headers?: Record<string, string>): Reply => ({ status, body: page, html: true, headers });
export const redirect = (location: string): Reply => ({ status: 303, body: "", html: true, headers: { location } });

/** Pages carry inline script and style only under this nonce; nothing else loads. */
export function send(res: ServerResponse, reply: Reply, nonce: string): void {
  const type = reply.html ? "text/html; charset=utf-8" : "application/json";
  res.writeHead(reply.status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...(reply.html && {
      "content-security-policy": `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'${reply.formTarget ? ` ${reply.formTarget}` : ""}; frame-ancestors 'none'; base-uri 'none'`,
      "referrer-policy": "no-referrer",
    }),
    ...reply.headers,
  });
  res.end(reply.body);
}

export type Route<R> = { method: string; pattern: RegExp; names: string[]; handler: R };

export function route<R>(spec: string, handler: R): Route<R> {
  const [method, path] = spec.split(" ") as [string, string];
  const names: string[] = [];
  const source = path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { method, pattern: new RegExp(`^${source}$`), names, handler };
}

/** The route for a request and its path parameters; `allowed` lists methods when only the method is wrong. */
export function match<R>(routes: Route<R>[], method: string, path: string): { route: Route<R>; params: Record<string, string> } | { allowed: string[] } {
  const allowed: string[] = [];
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    if (r.method !== method) {
      allowed.push(r.method);
      continue;
    }
    return { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
  }
  return { allowed };
}
