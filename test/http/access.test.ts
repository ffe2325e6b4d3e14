// Authenticate, then authorize, then validate: a caller without the right to a route learns
// nothing of its schema. Every alias the gateway serves is tried, so a new route is covered
// the day it is added.
import test from "ava";
import { startServer } from "../helpers/http.ts";

interface Route { method: string; path: string }

/** Every "METHOD path" alias of the gateway, with each :param filled in (HEAD mirrors GET). */
function routesOf(api: Awaited<ReturnType<typeof startServer>>): Route[] {
  const gateway = api.marquee.broker.getLocalService("api") as unknown as { settings: { routes: { aliases: Record<string, unknown> }[] } };
  return Object.keys(gateway.settings.routes.find((r) => (r as { path?: string }).path === "/api")!.aliases).filter((key) => !key.startsWith("HEAD ")).map((key) => {
    const [method, path] = key.split(" ") as [string, string];
    return { method, path: `/api/${path.replace(/:\w+/g, "x")}` };
  });
}

const SIGNED_IN = [
  "GET /api/me", "GET /api/me/bookings", "POST /api/shows/x/holds", "GET /api/holds/x", "DELETE /api/holds/x", "POST /api/bookings", "GET /api/bookings/x",
  "POST /api/bookings/x/pay", "POST /api/bookings/x/cancel", "GET /api/bookings/x/ticket", "POST /api/shows/x/admissions", "POST /api/bookings/x/review",
  "GET /api/me/reviewable", "POST /api/onsales/x/queue", "GET /api/onsales/x/queue",
];

test("anonymous calls to admin and signed-in routes are a 401 before any field is checked, even with an empty body", async (t) => {
  const api = await startServer(t);
  const guarded = routesOf(api).filter(({ method, path }) => path.startsWith("/api/admin/") || SIGNED_IN.includes(`${method} ${path}`));
  t.true(guarded.length >= SIGNED_IN.length + 10, `found ${guarded.length} guarded routes`);
  for (const { method, path } of guarded) {
    for (const body of method === "GET" ? [undefined] : [undefined, {}, { nonsense: true }]) {
      const reply = await api.request(method, path, body === undefined ? {} : { body });
      t.is(reply.status, 401, `${method} ${path} ${JSON.stringify(body)}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 160)}`);
      t.is(reply.body.type, "UNAUTHORIZED");
    }
  }
});

test("a customer calling any admin route is a 403 before any field is checked", async (t) => {
  const api = await startServer(t);
  const { token } = await api.customer();
  for (const { method, path } of routesOf(api).filter((r) => r.path.startsWith("/api/admin/"))) {
    const reply = await api.request(method, path, { token, ...(method === "GET" ? {} : { body: {} }) });
    t.is(reply.status, 403, `${method} ${path}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 160)}`);
    t.false(JSON.stringify(reply.body).includes("VALIDATION"), "no schema is revealed");
  }
});
