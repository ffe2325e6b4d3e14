// The hostile-input table: every route the gateway serves (read from its aliases, so a new route
// joins the day it is added) gets hostile ids, bodies, headers, encodings and sizes, as an
// anonymous caller and as an admin (who passes every role check and so reaches validation).
// Whatever is refused must be refused as the client's mistake: never a 5xx, always the JSON
// error shape {name, message, code, type}.
import test from "ava";
import { gzipSync } from "node:zlib";
import { startServer, type Client } from "../helpers/http.ts";

interface Case { category: string; what: string; path?: (path: string) => string; body?: string | Uint8Array; headers?: Record<string, string> }

const ID_SLOT = /:\w+/g;
const IDS = ["x".repeat(500), "%00", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%E0%A4%A", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "'%3B%20DROP%20TABLE%20seats%3B--", "%E2%80%AE", "__proto__", "constructor", "-1", "1e309", "%F0%9F%8E%AC"];
const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

const CASES: Case[] = [
  ...IDS.map((id): Case => ({ category: "ids", what: id.slice(0, 30), path: (p) => p.replace(ID_SLOT, id) })),
  { category: "ids", what: "empty segment", path: (p) => p.replace(ID_SLOT, "") },
  ...["{not json", "[]", "null", "\"a string\"", "123", "true", nested(5_000), '{"a":'.repeat(2_000), '{"__proto__": {"seats": ["A1"], "role": "admin"}}', '{"constructor": {"prototype": {"x": 1}}}',
    '{"seats": {"$gt": ""}, "holdId": {"$ne": null}, "card": [1, 2]}', '{"seats": ["A1", "A1", "A1"], "email": "a\\u0000@b.co"}', `{"name": "${"\\ud800".repeat(10)}"}`, '{"price": -1, "amount": 1e309, "multiplier": "NaN"}']
    .map((body): Case => ({ category: "bodies", what: body.slice(0, 30), body })),
  { category: "headers", what: "forged bearer", headers: { authorization: "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1Iiwicm9sZSI6ImFkbWluIn0." } },
  { category: "headers", what: "basic auth", headers: { authorization: "Basic YWRtaW46YWRtaW4=" } },
  { category: "headers", what: "huge bearer", headers: { authorization: `Bearer ${"a".repeat(6_000)}` } },
  { category: "headers", what: "long Idempotency-Key", headers: { "idempotency-key": "k".repeat(300) }, body: "{}" },
  { category: "headers", what: "text/plain body", headers: { "content-type": "text/plain" }, body: '{"seats": ["A1"]}' },
  { category: "headers", what: "unknown charset", headers: { "content-type": "application/json; charset=utf-7" }, body: "{}" },
  { category: "headers", what: "junk Last-Event-ID and X-Forwarded-For", headers: { "last-event-id": "-1e9; drop", "x-forwarded-for": "not, an, address" } },
  { category: "encodings", what: "gzip over garbage", headers: { "content-encoding": "gzip" }, body: "garbage bytes" },
  { category: "encodings", what: "br over garbage", headers: { "content-encoding": "br" }, body: "garbage bytes" },
  { category: "encodings", what: "unknown encoding", headers: { "content-encoding": "compress" }, body: "{}" },
  { category: "encodings", what: "gzip bomb past the body limit", headers: { "content-encoding": "gzip" }, body: gzipSync(JSON.stringify({ pad: "x".repeat(5_000_000) })) },
  { category: "encodings", what: "Latin-1 bytes as UTF-8", body: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0xff, 0x22, 0x7d]) },
  { category: "sizes", what: "body over the limit", body: JSON.stringify({ pad: "x".repeat(200_000) }) },
  { category: "sizes", what: "long query string", path: (p) => `${p}?${"q=1&".repeat(1_500)}` },
  { category: "sizes", what: "nested query", path: (p) => `${p}?${"a[".repeat(50)}b${"]".repeat(50)}=1&city[$gt]=&date[]=1` },
];

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);

async function send(api: Client, method: string, path: string, c: Case, token?: string) {
  const headers: Record<string, string> = { ...(c.body !== undefined ? { "content-type": "application/json" } : {}), ...c.headers };
  if (token && !headers.authorization) headers.authorization = `Bearer ${token}`;
  const res = await fetch(api.url + path, { method, headers, body: WRITES.has(method) ? c.body : undefined, signal: AbortSignal.timeout(10_000) });
  // A live event stream never ends by itself: its headers are the answer.
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    await res.body?.cancel();
    return { status: res.status, body: undefined };
  }
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* not JSON: the assertion below says so */ }
  return { status: res.status, body };
}

test("hostile ids, bodies, headers, encodings and sizes on every route: never a 5xx, always a JSON error", async (t) => {
  t.timeout(180_000);
  const api = await startServer(t);
  const admin = await api.admin();
  const show = await api.dayAheadShow();
  const gateway = api.marquee.broker.getLocalService("api") as unknown as { settings: { routes: { aliases: Record<string, unknown> }[] } };
  const routes = Object.keys(gateway.settings.routes.find((r) => (r as { path?: string }).path === "/api")!.aliases).filter((r) => !r.startsWith("HEAD ")).map((r) => r.split(" ") as [string, string]);
  t.true(routes.length >= 30, `${routes.length} routes`);
  const seen = new Map<string, number>();
  for (const [method, alias] of routes) {
    // Ids not under test name a real show, so the request gets as far as it can.
    const path = `/api/${alias.replace(":showId", show.id)}`;
    for (const c of CASES) {
      if (c.body !== undefined && !WRITES.has(method)) continue;
      const target = c.path ? c.path(`/api/${alias}`) : path.replace(ID_SLOT, "x");
      for (const token of [undefined, admin]) {
        const { status, body } = await send(api, method, target, c, token);
        const label = `${method} ${target.slice(0, 80)} [${c.category}: ${c.what}]${token ? " as admin" : ""} -> ${status} ${JSON.stringify(body)?.slice(0, 160)}`;
        seen.set(c.category, (seen.get(c.category) ?? 0) + 1);
        t.true(status < 500, label);
        if (status >= 400) {
          const error = body as { name?: unknown; message?: unknown; code?: unknown; type?: unknown } | undefined;
          t.true(typeof error === "object" && error !== null, label);
          t.is(typeof error?.name, "string", label);
          t.is(typeof error?.message, "string", label);
          t.is(typeof error?.type, "string", label);
          t.is(error?.code, status, label);
        }
      }
    }
  }
  t.log(Object.fromEntries(seen));
  t.is((await api.request("GET", "/api/health")).status, 200, "the server is still serving");
});
