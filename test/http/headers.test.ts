import test from "ava";
import { startServer } from "../helpers/http.ts";

const EVERYWHERE = ["/", "/app.js", "/api/health", "/api/shows", "/api/no/such/route", "/api/me"];

test("the web app, the API and its errors all tell browsers not to sniff, frame, leak referrers or run foreign or inline script", async (t) => {
  const api = await startServer(t);
  for (const path of EVERYWHERE) {
    const res = await fetch(api.url + path);
    await res.body?.cancel();
    t.is(res.headers.get("x-content-type-options"), "nosniff", path);
    t.is(res.headers.get("x-frame-options"), "DENY", path);
    t.is(res.headers.get("referrer-policy"), "no-referrer", path);
    const csp = res.headers.get("content-security-policy") ?? "";
    t.regex(csp, /frame-ancestors 'none'/, path);
    t.regex(csp, /script-src 'self'(;|$)/, `${path}: no inline or foreign script`);
    t.false(csp.includes("unsafe"), path);
    t.is(res.headers.get("strict-transport-security"), null, `${path}: plain HTTP pins nothing`);
  }
});

test("Strict-Transport-Security is sent when a trusted proxy says the client used HTTPS, and only then", async (t) => {
  const trusting = await startServer(t, { trustProxy: true });
  const https = await fetch(`${trusting.url}/api/health`, { headers: { "x-forwarded-proto": "https" } });
  t.regex(https.headers.get("strict-transport-security") ?? "", /^max-age=\d{7,}/);
  const http = await fetch(`${trusting.url}/api/health`, { headers: { "x-forwarded-proto": "http" } });
  t.is(http.headers.get("strict-transport-security"), null);
  const untrusting = await startServer(t, { trustProxy: false });
  const claimed = await fetch(`${untrusting.url}/api/health`, { headers: { "x-forwarded-proto": "https" } });
  t.is(claimed.headers.get("strict-transport-security"), null, "without TRUST_PROXY the header is anyone's claim");
});

test("the web app's page has no inline script for the policy to block", async (t) => {
  const api = await startServer(t);
  const page = await (await fetch(api.url + "/")).text();
  const scripts = [...page.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  t.true(scripts.length > 0);
  for (const [, attributes, body] of scripts) {
    t.regex(attributes!, /src="\//);
    t.is(body!.trim(), "");
  }
  t.false(/\son[a-z]+=/i.test(page), "no inline event handlers");
});
