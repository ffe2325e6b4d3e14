// /api/openapi.json is generated from the gateway's routes and the actions' params schemas: every
// route is in it, its request schemas are the ones the actions validate with, and real answers
// validate against its response schemas. /api/docs shows it with Swagger UI.
import test from "ava";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { chromium } from "playwright-core";
import { paramsSchema } from "../../infra/json-schema.ts";
import { startServer, type Client, type Reply } from "../helpers/http.ts";
import { CHROMIUM, missingBinaries, testNeeding } from "../helpers/services.ts";

const VISA = "pm_card_visa";

interface Doc { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } }
interface Operation { parameters?: { name: string; in: string }[]; requestBody?: { content: Record<string, { schema: object }> }; responses: Record<string, { content?: Record<string, { schema: object }> }> }

const openPath = (path: string) => path.replace(/:(\w+)/g, "{$1}");

/** Every "METHOD /full/path" the gateway serves, read from its routes. */
function servedRoutes(api: Client): string[] {
  const routes = (api.marquee.broker.getLocalService("api")!.settings as { routes: { path: string; aliases: Record<string, unknown> }[] }).routes;
  return routes.flatMap((route) => Object.keys(route.aliases).map((alias) => {
    const [method, path] = alias.split(" ") as [string, string];
    return `${method} ${route.path}${path === "/" ? "" : `/${path}`}`;
  }));
}

async function documented(t: { teardown(fn: () => unknown): void }) {
  const api = await startServer(t as never);
  const res = await api.request<Doc>("GET", "/api/openapi.json");
  return { api, doc: res.body, status: res.status };
}

function validator(doc: Doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "marquee", components: doc.components });
  /** Checks a reply against what the document says `METHOD path` answers with its status. */
  return (method: string, path: string, reply: Reply): string[] => {
    const operation = doc.paths[openPath(path)]?.[method.toLowerCase()];
    if (!operation) return [`${method} ${path} is not in the document`];
    const response = operation.responses[String(reply.status)] ?? (reply.status >= 400 ? operation.responses.default : undefined);
    if (!response) return [`${method} ${path} does not document status ${reply.status}`];
    const schema = response.content?.["application/json"]?.schema;
    if (!schema) return reply.body === null || reply.body === "" ? [] : [`${method} ${path} ${reply.status} documents no JSON body`];
    const check = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"marquee#/components/')));
    return check(reply.body) ? [] : (check.errors ?? []).map((e) => `${method} ${path} ${reply.status}: ${e.instancePath} ${e.message}`);
  };
}

test("GET /api/openapi.json is an OpenAPI 3.1 document naming every route the gateway serves", async (t) => {
  const { api, doc, status } = await documented(t);
  t.is(status, 200);
  t.is(doc.openapi, "3.1.0");
  const served = servedRoutes(api);
  t.true(served.length >= 35);
  const missing = served.filter((route) => {
    const [method, path] = route.split(" ") as [string, string];
    return !doc.paths[openPath(path)]?.[method.toLowerCase()];
  });
  t.deepEqual(missing, []);
});

test("request schemas in the document are the params schemas the actions validate with", async (t) => {
  const { api, doc } = await documented(t);
  const paramsOf = (action: string) => api.marquee.broker.registry.getActionList({}).find((a) => a.name === action)!.action!.params as Record<string, never>;
  const { showId: _showId, ...holdBody } = paramsOf("admin.hold");
  t.deepEqual(doc.paths["/api/shows/{showId}/holds"]!.post!.requestBody!.content["application/json"]!.schema, paramsSchema(holdBody));
  // A forwarded action (admin.createMovie passes its body to catalog.createMovie) shows the checked schema.
  t.deepEqual(doc.paths["/api/admin/movies"]!.post!.requestBody!.content["application/json"]!.schema, paramsSchema(paramsOf("catalog.createMovie")));
  t.deepEqual(doc.paths["/api/shows"]!.get!.parameters!.map((p) => `${p.in}:${p.name}`), ["query:movieId", "query:cinemaId", "query:city", "query:date"]);
});

test("real answers of the booking journey and its errors validate against the document", async (t) => {
  const { api, doc } = await documented(t);
  const check = validator(doc);
  const problems: string[] = [];
  const call = async (method: string, path: string, route: string, options?: Parameters<Client["request"]>[2]) => {
    const reply = await api.request(method, path, options);
    problems.push(...check(method, route, reply));
    return reply;
  };
  await call("GET", "/api/health", "/api/health");
  await call("GET", "/api/ratings", "/api/ratings");
  await call("GET", "/api/movies", "/api/movies");
  const shows = await call("GET", "/api/shows", "/api/shows");
  const register = await call("POST", "/api/auth/register", "/api/auth/register", { body: { email: `doc-${Date.now()}@example.com`, password: "correct horse battery", name: "Doc" } });
  const token = register.body.token as string;
  await call("GET", "/api/me", "/api/me", { token });
  const showId = (shows.body as { id: string; startsAt: string }[]).find((s) => Date.parse(s.startsAt) > Date.now() + 86_400_000)!.id;
  const show = await call("GET", `/api/shows/${showId}`, "/api/shows/:showId");
  const seats = (show.body.seats as { id: string; status: string }[]).filter((s) => s.status === "available").slice(0, 2).map((s) => s.id);
  await call("GET", `/api/shows/${showId}/quote?seats=${seats.join(",")}`, "/api/shows/:showId/quote");
  const hold = await call("POST", `/api/shows/${showId}/holds`, "/api/shows/:showId/holds", { token, body: { seats } });
  t.is(hold.status, 201);
  await call("GET", `/api/holds/${hold.body.id}`, "/api/holds/:holdId", { token });
  const booking = await call("POST", "/api/bookings", "/api/bookings", { token, body: { holdId: hold.body.id } });
  await call("POST", `/api/bookings/${booking.body.id}/pay`, "/api/bookings/:bookingId/pay", { token, body: { paymentMethod: VISA } });
  await call("GET", "/api/me/bookings", "/api/me/bookings", { token });
  await call("POST", `/api/bookings/${booking.body.id}/cancel`, "/api/bookings/:bookingId/cancel", { token });
  const other = await call("POST", `/api/shows/${showId}/holds`, "/api/shows/:showId/holds", { token, body: { seats: [seats[0]] } });
  t.is((await call("DELETE", `/api/holds/${other.body.id}`, "/api/holds/:holdId", { token })).status, 204);
  // Errors: the shape every error has.
  t.is((await call("POST", `/api/shows/${showId}/holds`, "/api/shows/:showId/holds", { token, body: { seats: [] } })).status, 422);
  t.is((await call("GET", "/api/movies/no-such-movie", "/api/movies/:movieId")).status, 404);
  t.is((await call("GET", "/api/me", "/api/me")).status, 401);
  t.deepEqual(problems, []);
});

test("a wrong answer fails the check: the validator is not a rubber stamp", async (t) => {
  const { doc } = await documented(t);
  const check = validator(doc);
  t.not(check("GET", "/api/health", { status: 200, headers: new Headers(), body: { status: "ok" } }).length, 0);
  t.not(check("GET", "/api/shows", { status: 200, headers: new Headers(), body: [{ id: 1 }] }).length, 0);
  t.not(check("GET", "/api/movies/:movieId", { status: 404, headers: new Headers(), body: { message: "gone" } }).length, 0);
});

testNeeding(missingBinaries(CHROMIUM))("/api/docs shows every operation of the document in Swagger UI, served locally", async (t) => {
  t.timeout(60_000);
  const { api, doc } = await documented(t);
  const operations = Object.values(doc.paths).reduce((n, methods) => n + Object.keys(methods).length, 0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  t.teardown(() => browser.close());
  const page = await browser.newPage();
  const outside: string[] = [];
  page.on("request", (request) => { if (!request.url().startsWith(api.url)) outside.push(request.url()); });
  await page.goto(`${api.url}/api/docs`);
  await page.locator(".opblock").nth(operations - 1).waitFor({ timeout: 20_000 });
  t.is(await page.locator(".opblock").count(), operations);
  t.deepEqual(outside, [], "nothing is loaded from another site");
});
