// Response headers that tell browsers what this site never does: load scripts, styles or frames
// from elsewhere, run inline script, sit inside someone else's frame, guess content types, or
// leak its URLs to other sites; and, served over HTTPS, never to be visited over plain HTTP.
// A few fixed headers, so a handful of lines here rather than helmet, which would need wiring
// around moleculer-web's own handler for the same result.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TLSSocket } from "node:tls";

// The web app (public/) loads only its own modules and stylesheet and sets styles through the
// DOM, so it needs no 'unsafe-inline'; QR codes and icons may be data: images.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
  "font-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** HTTPS as the client sees it: our own TLS, or a trusted proxy's word in X-Forwarded-Proto. */
export function servedOverHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const proto = trustProxy ? req.headers["x-forwarded-proto"] : undefined;
  return typeof proto === "string" && proto.split(",")[0]!.trim().toLowerCase() === "https";
}

export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, trustProxy: boolean): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  // Sent over plain HTTP it would be ignored by browsers, and it would pin a site that has no HTTPS.
  if (servedOverHttps(req, trustProxy)) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
}
