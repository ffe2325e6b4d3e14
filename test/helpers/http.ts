// Starts the whole platform on a free port for HTTP tests and stops it in teardown.
import type { ExecutionContext } from "ava";
import { startMarquee, storeFor, type Marquee } from "../../app.ts";
import type { MarqueeConfig } from "../../moleculer.config.ts";
import type { Store } from "../../infra/store.ts";
import { testConfig } from "./broker.ts";

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Client {
  url: string;
  marquee: Marquee;
  request<T = any>(method: string, path: string, options?: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> }): Promise<Reply<T>>;
  /** Registers a fresh customer and returns their token and id. */
  customer(name?: string): Promise<{ token: string; id: string; email: string }>;
  admin(): Promise<string>;
  /**
   * An admin's own movie, cinema (one screen of these layout rows, plus any cinema fields) and a
   * show on it three days out at these category prices: what a test needs when the demo will not do.
   */
  adminShow(options: { rows: { row: string; category: string; seats: string }[]; prices: Record<string, number>; cinema?: Record<string, unknown> }): Promise<{ admin: string; cinema: Reply; show: Reply }>;
  /** A demo show starting more than a day from now, so no hold or payment runs into its start:
   * its details with every seat. `query` narrows the listing, e.g. "?city=Mumbai". */
  dayAheadShow(query?: string): Promise<any>;
}

let users = 0;

/** `store`: the one the platform keeps everything in (the configured one when omitted). */
export async function startServer(t: ExecutionContext, overrides: Partial<MarqueeConfig> = {}, store?: Store): Promise<Client> {
  const config = testConfig({ seedDemo: true, ...overrides });
  const marquee = await startMarquee(config, store ?? storeFor(config));
  t.teardown(() => marquee.stop());
  const url = `http://127.0.0.1:${marquee.port}`;

  const request: Client["request"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers["content-type"] ??= "application/json";
    const res = await fetch(url + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
    return { status: res.status, headers: res.headers, body: parsed as any };
  };

  async function admin(): Promise<string> {
    const res = await request("POST", "/api/auth/login", { body: { email: config.adminEmail, password: config.adminPassword } });
    if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  }

  return {
    url, marquee, request,
    async customer(name = "Test User") {
      const email = `user${++users}-${process.pid}-${Date.now()}@example.com`;
      const res = await request("POST", "/api/auth/register", { body: { email, password: "correct horse battery", name } });
      if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token, id: res.body.user.id, email };
    },
    admin,
    async adminShow({ rows, prices, cinema: extra = {} }) {
      const token = await admin();
      const movie = await request("POST", "/api/admin/movies", { token, body: { title: `Film ${++users}`, durationMinutes: 100, rating: "U", languages: ["English"], genres: ["Drama"] } });
      const cinema = await request("POST", "/api/admin/cinemas", {
        token, body: { name: `Cinema ${users}`, city: "Pune", timezone: "Asia/Kolkata", ...extra, screens: [{ name: "Screen 1", layout: { rows } }] },
      });
      const show = await request("POST", "/api/admin/shows", {
        token, body: { movieId: movie.body.id, cinemaId: cinema.body.id, screenId: cinema.body.screens?.[0]?.id, startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), prices },
      });
      return { admin: token, cinema, show };
    },
    async dayAheadShow(query = "") {
      const listed = await request<{ id: string; startsAt: string }[]>("GET", `/api/shows${query}`);
      const show = listed.body.find((s) => Date.parse(s.startsAt) > Date.now() + 86_400_000);
      if (!show) throw new Error(`no show in GET /api/shows${query} starts more than a day from now`);
      return (await request("GET", `/api/shows/${show.id}`)).body;
    },
  };
}
