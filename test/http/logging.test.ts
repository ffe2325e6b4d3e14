// What an operator reads: the start banner, and one log line per request (JSON with LOG_FORMAT=json).
import test from "ava";
import { startBanner } from "../../app.ts";
import { readConfig } from "../../moleculer.config.ts";
import { accessLine } from "../../infra/access-log.ts";
import { startNode } from "../helpers/cluster.ts";

test("the banner shows the web app and API addresses and the default admin password", (t) => {
  const lines = startBanner(readConfig({}), 3000, "n1");
  t.is(lines[0], "marquee: node n1 ready: web app http://localhost:3000/ , API http://localhost:3000/api");
  t.is(lines[1], 'marquee: admin sign-in: admin@marquee.local with password "marquee-admin" (the default: set ADMIN_PASSWORD to change it)');
  t.is(lines[2], "marquee: operators: `npm run repl` attaches to this process (127.0.0.1:4446)");
  const production = readConfig({ NODE_ENV: "production", TOKEN_SECRET: "a".repeat(64), ADMIN_PASSWORD: "a password of our own", STRIPE_WEBHOOK_SECRET: "whsec_ours" });
  t.is(startBanner(production, 3000, "n1").length, 2, "no operator channel, no line about it");
});

test("the banner never prints a password the operator set, only where it came from", (t) => {
  const lines = startBanner(readConfig({ ADMIN_EMAIL: "Ops@Example.com", ADMIN_PASSWORD: "s3cret-s3cret", HOST: "127.0.0.1" }), 8080, "n1");
  t.regex(lines[0]!, /web app http:\/\/127\.0\.0\.1:8080\/ , API http:\/\/127\.0\.0\.1:8080\/api/);
  t.is(lines[1], "marquee: admin sign-in: ops@example.com with the password set in ADMIN_PASSWORD");
  t.false(lines.join("\n").includes("s3cret"));
});

test("an access line names method, path, status, time and request id", (t) => {
  t.is(accessLine({ method: "GET", path: "/api/shows", status: 200, ms: 6.9, requestId: "r1" }), "GET /api/shows 200 6.9ms req=r1");
});

test("with LOG_FORMAT=json a node writes JSON lines: no route table, one line per request with its request id", async (t) => {
  t.timeout(60_000);
  const node = await startNode(t, { LOG_LEVEL: "info", LOG_FORMAT: "json", SEED_DEMO: "false" }, { name: "logs" });
  const health = await fetch(`${node.url}/api/health?probe=1`, { headers: { "x-request-id": "req-health-1" } });
  await health.text();
  const missing = await fetch(`${node.url}/api/movies/no-such-movie`, { headers: { "x-request-id": "req-movie-2" } });
  await missing.text();
  t.is(missing.status, 404);
  // The line is written when the response has finished; give the log a moment to flush.
  const lines = await eventually(() => node.output(), (out) => out.some((l) => l.includes("req-movie-2")));

  const entries = lines.map((line) => JSON.parse(line.replace(/^\[[^\]]*\] /, "")) as Record<string, unknown>);
  t.false(lines.some((l) => l.includes("=> api.health")), "the route table is at debug");
  const requests = entries.filter((e) => typeof e.requestId === "string" && String(e.requestId).startsWith("req-"));
  t.deepEqual(requests.map(({ method, path, status, requestId }) => ({ method, path, status, requestId })), [
    { method: "GET", path: "/api/health", status: 200, requestId: "req-health-1" },
    { method: "GET", path: "/api/movies/no-such-movie", status: 404, requestId: "req-movie-2" },
  ]);
  t.true(requests.every((e) => typeof e.ms === "number" && e.level === "info"));
  t.true(entries.some((e) => String(e.msg).includes("web app http://")), "the banner is a JSON line too");
});

async function eventually<T>(read: () => T, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = read();
    if (ok(value) || i > 50) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
