// What the gateway does with input no honest client sends: unreadable bodies, keys that reach
// prototypes, Idempotency-Keys it could not keep; and HEAD, which every GET route answers.
import test from "ava";
import { gzipSync } from "node:zlib";
import { startServer, type Client } from "../helpers/http.ts";

async function routesOf(api: Client): Promise<string[]> {
  const gateway = api.marquee.broker.getLocalService("api") as unknown as { settings: { routes: { aliases: Record<string, unknown> }[] } };
  return Object.keys(gateway.settings.routes.find((r) => (r as { path?: string }).path === "/api")!.aliases).filter((r) => r.startsWith("GET ")).map((r) => r.slice(4));
}

async function raw(api: Client, path: string, body: Uint8Array | string, headers: Record<string, string>) {
  const res = await fetch(api.url + path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
  return { status: res.status, body: (await res.json()) as { type?: string } };
}

test("a body that does not match its Content-Encoding is a 400, and a real gzip body is read", async (t) => {
  const api = await startServer(t);
  for (const encoding of ["gzip", "deflate", "br"]) {
    const reply = await raw(api, "/api/auth/login", "garbage bytes", { "content-encoding": encoding });
    t.is(reply.status, 400, `${encoding}: ${JSON.stringify(reply.body)}`);
    t.is(reply.body.type, "UNREADABLE_BODY");
  }
  const unknown = await raw(api, "/api/auth/login", "{}", { "content-encoding": "compress" });
  t.is(unknown.status, 415);
  t.is(unknown.body.type, "UNSUPPORTED_MEDIA_TYPE");
  const zipped = await raw(api, "/api/auth/login", gzipSync(JSON.stringify({ email: "nobody@example.com", password: "a password" })), { "content-encoding": "gzip" });
  t.is(zipped.body.type, "INVALID_CREDENTIALS", "the gzip body was read and checked");
});

test("keys that reach a prototype are refused anywhere in a request, and create nothing", async (t) => {
  const api = await startServer(t);
  const { token } = await api.customer();
  const show = await api.dayAheadShow();
  const bodies = ['{"__proto__": {"seats": ["A1"]}}', '{"seats": ["A1"], "constructor": {"prototype": {"admin": true}}}', '{"seats": ["A1"], "x": [{"__proto__": {}}]}'];
  for (const body of bodies) {
    const reply = await api.request("POST", `/api/shows/${show.id}/holds`, { token, raw: body });
    t.is(reply.status, 400, `${body}: ${JSON.stringify(reply.body)}`);
    t.is(reply.body.type, "FORBIDDEN_KEY");
  }
  // The query parser drops such keys, so the same keys in a query string change nothing.
  t.is((await api.request("GET", `/api/shows/${show.id}?__proto__[polluted]=1&constructor[prototype][polluted]=1`)).status, 200);
  t.is(({} as Record<string, unknown>).polluted, undefined, "no prototype of this (the server's) process changed");
  const seats = (await api.request("GET", `/api/shows/${show.id}`)).body.seats as { id: string; status: string }[];
  t.is(seats.find((s) => s.id === "A1")?.status, "available");
});

test("an Idempotency-Key the server cannot keep is a 400, never silently ignored", async (t) => {
  const api = await startServer(t);
  const { token } = await api.customer();
  const show = await api.dayAheadShow();
  for (const key of ["k".repeat(256), "has space", "caf\u00e9"]) {
    const reply = await api.request("POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["B1"] }, headers: { "idempotency-key": key } });
    t.is(reply.status, 400, `${key.slice(0, 20)}: ${JSON.stringify(reply.body)}`);
    t.is(reply.body.type, "INVALID_IDEMPOTENCY_KEY");
  }
  const longest = "k".repeat(255);
  const first = await api.request("POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["B1"] }, headers: { "idempotency-key": longest } });
  const retry = await api.request("POST", `/api/shows/${show.id}/holds`, { token, body: { seats: ["B1"] }, headers: { "idempotency-key": longest } });
  t.is(first.status, 201);
  t.is(retry.body.id, first.body.id, "a 255-character key is honoured");
});

test("HEAD on every GET route answers as GET does, without a body", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const routes = await routesOf(api);
  t.true(routes.length >= 10);
  for (const route of routes) {
    const path = `/api/${route.replace(":showId", show.id).replace(/:\w+/g, "x")}`;
    const get = await fetch(api.url + path, { signal: AbortSignal.timeout(5_000) });
    await get.body?.cancel();
    const head = await fetch(api.url + path, { method: "HEAD", signal: AbortSignal.timeout(5_000) });
    t.is(head.status, get.status, `HEAD ${path}`);
    t.is(head.headers.get("content-type"), get.headers.get("content-type"), `HEAD ${path}`);
    t.is(await head.text(), "", `HEAD ${path} has no body`);
  }
});
