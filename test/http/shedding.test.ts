import test from "ava";
import { startMarquee } from "../../app.ts";
import { MemoryStore } from "../../infra/memory-store.ts";
import { testConfig } from "../helpers/broker.ts";
import { startServer } from "../helpers/http.ts";

/** A store whose journal writes take a few milliseconds, as a Redis round trip does: holds then overlap. */
class SlowJournalStore extends MemoryStore {
  override async append(journal: string, events: readonly unknown[], fence?: Parameters<MemoryStore["append"]>[2]): Promise<number> {
    await new Promise((r) => setTimeout(r, 5));
    return super.append(journal, events, fence);
  }
}

test("under a burst far above capacity every hold is answered: a success or a conflict, else 503 OVERLOADED with Retry-After, and the node recovers", async (t) => {
  const marquee = await startMarquee(testConfig({ seedDemo: true, shedMaxWrites: 4 }), new SlowJournalStore());
  t.teardown(() => marquee.stop());
  const url = `http://127.0.0.1:${marquee.port}`;
  const call = async (path: string, body?: unknown, token?: string): Promise<{ status: number; retryAfter: string | null; nosniff: string | null; body: any }> => {
    const res = await fetch(url + path, { method: body ? "POST" : "GET", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, retryAfter: res.headers.get("retry-after"), nosniff: res.headers.get("x-content-type-options"), body: await res.json() };
  };
  const shows = (await call("/api/shows")).body as { id: string; startsAt: string }[];
  const show = (await call(`/api/shows/${shows.find((s) => Date.parse(s.startsAt) > Date.now() + 86_400_000)!.id}`)).body;
  const tokens: string[] = [];
  for (let i = 0; i < 20; i++) tokens.push((await call("/api/auth/register", { email: `burst${i}-${Date.now()}@example.com`, password: "correct horse battery", name: "Burst" })).body.token);

  const burst = await Promise.all(Array.from({ length: 300 }, (_, i) => call(`/api/shows/${show.id}/holds`, { seats: [show.seats[i % 60].id] }, tokens[i % tokens.length])));

  t.deepEqual(burst.filter((r) => ![201, 409, 503].includes(r.status)).map((r) => r.status), [], "no timeouts, no 500s");
  const shed = burst.filter((r) => r.status === 503);
  t.true(shed.length > 0, "300 holds at once against a bound of 4 sheds some");
  t.true(burst.some((r) => r.status === 201), "and serves others");
  for (const r of shed) {
    t.deepEqual(r.body, { name: "ServiceUnavailableError", message: "The service is busy right now; try again in a moment", code: 503, type: "OVERLOADED", data: { retryAfter: 1, class: "write" } });
    t.is(r.retryAfter, "1");
    t.is(r.nosniff, "nosniff", "a refusal carries the site's security headers like every other answer");
  }
  const later = await call(`/api/shows/${show.id}/holds`, { seats: [show.seats.at(-1).id] }, tokens[0]);
  t.is(later.status, 201, "once the burst has drained the node takes holds again");
});

test("with no bound configured, nothing is shed", async (t) => {
  const api = await startServer(t, { shedMaxWrites: 0 });
  const show = await api.dayAheadShow();
  const customer = await api.customer();
  const holds = await Promise.all(Array.from({ length: 50 }, (_, i) => api.request("POST", `/api/shows/${show.id}/holds`, { token: customer.token, body: { seats: [show.seats[i].id] } })));
  t.false(holds.some((r) => r.status === 503));
});
