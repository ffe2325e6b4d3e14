// GET /metrics: Prometheus text with Moleculer's metrics and Marquee's own, moved by real traffic.
import test from "ava";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startMarquee } from "../../app.ts";
import { readConfig } from "../../moleculer.config.ts";
import { testConfig } from "../helpers/broker.ts";
import { freePort } from "../helpers/cluster.ts";
import { startServer, type Client } from "../helpers/http.ts";

const VISA = "pm_card_visa";

/** The value of the series `name` whose labels include `labels`, in this node's /metrics text. */
function value(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries([...match[2]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function metrics(api: Client, token?: string): Promise<string> {
  const res = await fetch(`${api.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  if (res.status !== 200) throw new Error(`GET /metrics: ${res.status} ${await res.text()}`);
  return res.text();
}

test("GET /metrics counts holds, conflicts by reason, bookings, revenue and refunds as they happen", async (t) => {
  const api = await startServer(t);
  const before = await metrics(api);
  t.regex(before, /# TYPE moleculer_request_total counter/);
  t.is(value(before, "marquee_holds_total"), 0);
  t.is(value(before, "marquee_hold_conflicts_total", { reason: "held" }), 0);

  const [a, b] = [await api.customer(), await api.customer()];
  const show = await api.dayAheadShow();
  const seats = show.seats.filter((s: { status: string }) => s.status === "available").slice(0, 2).map((s: { id: string }) => s.id);
  const hold = await api.request("POST", `/api/shows/${show.id}/holds`, { token: a.token, body: { seats } });
  t.is(hold.status, 201);
  t.is((await api.request("POST", `/api/shows/${show.id}/holds`, { token: b.token, body: { seats } })).status, 409);
  const booking = await api.request("POST", "/api/bookings", { token: a.token, body: { holdId: hold.body.id } });
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/pay`, { token: a.token, body: { paymentMethod: VISA } })).status, 200);
  t.is((await api.request("POST", `/api/bookings/${booking.body.id}/cancel`, { token: a.token })).status, 200);

  const after = await metrics(api);
  const currency = hold.body.quote.currency as string;
  t.is(value(after, "marquee_holds_total"), 1);
  t.is(value(after, "marquee_hold_conflicts_total", { reason: "held" }), 1);
  t.is(value(after, "marquee_bookings_total"), 1);
  t.is(value(after, "marquee_bookings_cancelled_total"), 1);
  t.is(value(after, "marquee_revenue_total", { currency }), hold.body.quote.total);
  t.is(value(after, "marquee_refunds_amount_total", { currency }), hold.body.quote.total);
  t.is(value(after, "marquee_refunds_total", { currency }), 1);
  t.true((value(after, "marquee_lease_moves_total", { change: "acquired" }) ?? 0) >= 1, "the show's shard lease was taken");
  t.true((value(after, "moleculer_request_total", { action: "admin.hold" }) ?? 0) >= 2);
});

test("an open live seat map counts as an SSE watcher until it closes", async (t) => {
  const api = await startServer(t);
  const show = await api.dayAheadShow();
  const stream = new AbortController();
  const res = await fetch(`${api.url}/api/shows/${show.id}/events`, { signal: stream.signal });
  t.is(res.status, 200);
  t.is(value(await metrics(api), "marquee_sse_watchers"), 1);
  stream.abort();
  await res.body?.cancel().catch(() => undefined);
  for (let i = 0; i < 50 && value(await metrics(api), "marquee_sse_watchers") !== 0; i++) await new Promise((r) => setTimeout(r, 50));
  t.is(value(await metrics(api), "marquee_sse_watchers"), 0);
});

test("with METRICS_TOKEN set, /metrics wants it as a bearer token", async (t) => {
  const api = await startServer(t, { metricsToken: "scrape-me-please" });
  const anonymous = await fetch(`${api.url}/metrics`);
  t.is(anonymous.status, 401);
  t.like(await anonymous.json(), { type: "INVALID_TOKEN" });
  t.is((await fetch(`${api.url}/metrics`, { headers: { authorization: "Bearer wrong" } })).status, 401);
  t.regex(await metrics(api, "scrape-me-please"), /marquee_holds_total/);
});

test("with METRICS=off there is nothing to scrape, and the answer says so", async (t) => {
  const api = await startServer(t, { metrics: false });
  const res = await fetch(`${api.url}/metrics`);
  t.is(res.status, 404);
  t.like(await res.json(), { type: "METRICS_OFF" });
});

test("a node without a gateway serves its metrics on METRICS_PORT", async (t) => {
  const metricsPort = await freePort();
  const marquee = await startMarquee(testConfig({ services: ["catalog", "pricing"], metricsPort }));
  t.teardown(() => marquee.stop());
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  t.is(res.status, 200);
  t.regex(await res.text(), /moleculer_request_total|moleculer_broker_started/);
});

test("with TRACING_EXPORTER=zipkin a request's spans reach the collector under its request id", async (t) => {
  t.timeout(30_000);
  const received: { traceId: string; name: string }[] = [];
  const collector = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => { body += chunk.toString(); });
    req.on("end", () => {
      if (req.url === "/api/v2/spans") received.push(...(JSON.parse(body) as { traceId: string; name: string }[]));
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => collector.close(() => resolve())));
  const { port } = collector.address() as AddressInfo;
  const tracing = readConfig({ TRACING_EXPORTER: "zipkin", TRACING_URL: `http://127.0.0.1:${port}` }).tracing;
  const api = await startServer(t, { tracing });

  const res = await fetch(`${api.url}/api/movies`);
  const requestId = res.headers.get("x-request-id")!;
  t.is(res.status, 200);
  const traceId = requestId.replace(/-/g, "").slice(0, 16);
  for (let i = 0; i < 100 && !received.some((s) => s.traceId === traceId && s.name.includes("catalog.listMovies")); i++) await new Promise((r) => setTimeout(r, 100));
  t.true(received.some((s) => s.traceId === traceId && s.name.includes("catalog.listMovies")), JSON.stringify(received.map((s) => [s.traceId, s.name])));
});

test("an unknown TRACING_EXPORTER is refused with what is allowed", (t) => {
  t.throws(() => readConfig({ TRACING_EXPORTER: "jaeger" }), { message: /TRACING_EXPORTER must be zipkin, console or off.*for Jaeger .* use zipkin with TRACING_URL/ });
  t.is(readConfig({}).tracing, undefined);
});

test("every metric the Grafana dashboard queries is one a node registers", async (t) => {
  const api = await startServer(t);
  const dashboard = JSON.parse(readFileSync(new URL("../../deploy/grafana/marquee.json", import.meta.url), "utf8")) as { panels: { targets?: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => p.targets ?? []).map((target) => target.expr);
  t.true(exprs.length >= 15);
  const registered = new Set(api.marquee.broker.metrics.list().map((m: { name: string }) => m.name.replace(/[.-]/g, "_")));
  const queried = new Set(exprs.flatMap((expr) => expr.match(/\b(?:marquee|moleculer|process)_\w+/g) ?? []).map((name) => name.replace(/_bucket$/, "")));
  t.deepEqual([...queried].filter((name) => !registered.has(name)), []);
});
