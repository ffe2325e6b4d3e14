// `npm run simulate -- --onsale --users 10000 --seats 400`: a hot on-sale through the waiting
// room against a running gateway. An admin creates a show of `seats` seats and an on-sale for it;
// customers register, most join the pre-queue at random moments before the opening and the rest
// join after it; they follow the queue's live stream as the web page does (one shared stream
// here, one per page in a browser), fetch their pass when the stream says their place is let in,
// then hold (retrying conflicts), think, and pay or release. The run ends when the on-sale says
// sold out. The summary reports the lottery's fairness, the admission rate, the time to sell
// out, the waits customers saw against the estimates they were given, hold latency, and the
// double-booking check (exit 1 if any seat was sold twice). Usable as a library by the bench.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { mulberry32 } from "../domain/random.ts";
import { limiter, pickSeats, stats, type LatencyStats } from "./simulate.ts";

export interface OnSaleSimulationOptions {
  url?: string;
  users?: number;
  /** Seats of the show created for the run (rows of 20). */
  seats?: number;
  /** How long the pre-queue is open before the opening. */
  prequeueSeconds?: number;
  /** Share of customers who arrive after the opening (over its first 10 s). */
  lateShare?: number;
  /** Customers let in per minute, or "automatic". */
  rate?: number | "automatic";
  windowSeconds?: number;
  maxTickets?: number;
  thinkMs?: number;
  payRatio?: number;
  /** Most HTTP requests in flight at once. */
  concurrency?: number;
  /** Give up after this long past the opening. */
  maxSeconds?: number;
  seed?: number;
  adminEmail?: string;
  adminPassword?: string;
  log?: (line: string) => void;
}

export interface OnSaleSummary {
  url: string;
  seed: number;
  onsaleId: string;
  showId: string;
  users: number;
  seats: number;
  prequeued: number;
  soldOut: boolean;
  /** Opening to the on-sale saying sold out. */
  timeToSellOutMs: number | null;
  admitted: number;
  /** Customers let in per minute, opening to the last admission. */
  admittedPerMinute: number;
  /** Spearman correlation of pre-queue arrival order and place: near 0 when the lottery is fair. */
  lotteryCorrelation: number;
  /** Of the first tenth to arrive in the pre-queue, the share placed in the first tenth of the queue (fair: about 10%). */
  firstTenthInFirstTenth: number;
  /** Waits of customers let in, against the estimate they saw when they learned their place. */
  waits: { count: number; medianSeenS: number; medianEstimateS: number; medianAbsErrorS: number };
  /** Customers still waiting when the on-sale said sold out, and how long after it the stream told them. */
  toldSoldOut: number;
  holds: { attempts: number; wins: number; conflicts: number; ticketLimit: number; passRefused: number };
  bookingsConfirmed: number;
  seatsConfirmed: number;
  doubleBookings: number;
  /** Confirmed seats the seat map does not show booked, and booked seats no confirmed booking names. */
  seatsNotBooked: number;
  bookedWithoutBooking: number;
  latency: { join: LatencyStats; position: LatencyStats; hold: LatencyStats; pay: LatencyStats };
  errors: Record<string, number>;
  problems: string[];
}

type Json = any;
interface Reply { status: number; body: Json; ms: number }
interface Customer { index: number; token?: string; late: boolean; joinedAt?: number; arrival?: number; place?: number; estimateS?: number | null; placeSeenAt?: number; admittedSeenAt?: number; state: "out" | "queued" | "shopping" | "done" }

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A deadline that does not keep the process alive once everything else is done. */
const deadline = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : 0);

/** Spearman's rank correlation of two equally long lists of distinct ranks. */
function spearman(a: number[], b: number[]): number {
  const rank = (xs: number[]) => {
    const order = xs.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(xs.length);
    order.forEach(([, i], k) => { r[i] = k; });
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = a.length;
  if (n < 2) return 0;
  const d2 = ra.reduce((s, x, i) => s + (x - rb[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

export async function simulateOnSale(options: OnSaleSimulationOptions = {}): Promise<OnSaleSummary> {
  const url = (options.url ?? process.env.MARQUEE_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  const users = Math.max(1, Math.floor(options.users ?? 2000));
  const seatCount = Math.max(1, Math.floor(options.seats ?? 400));
  const prequeueMs = (options.prequeueSeconds ?? 10) * 1000;
  const lateShare = Math.min(1, Math.max(0, options.lateShare ?? 0.1));
  const maxTickets = options.maxTickets ?? 4;
  const thinkMs = options.thinkMs ?? 500;
  const payRatio = options.payRatio ?? 0.8;
  const maxMs = (options.maxSeconds ?? 600) * 1000;
  const seed = (options.seed ?? randomBytes(4).readUInt32LE(0)) >>> 0;
  const log = options.log ?? (() => undefined);
  const rng = mulberry32(seed);
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
  const limit = limiter(options.concurrency ?? 200);
  const samples = { join: [] as number[], position: [] as number[], hold: [] as number[], pay: [] as number[] };
  const errors: Record<string, number> = {};
  const problems: string[] = [];
  const problem = (text: string) => { if (problems.length < 20) problems.push(text); };

  /** One request; 503/429 and network errors are retried after Retry-After (or a short backoff). */
  async function call(method: string, path: string, init: { body?: unknown; token?: string; key?: string } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(init.key ? { "idempotency-key": init.key } : {}) };
    for (let attempt = 0; ; attempt++) {
      const reply = await limit(async (): Promise<Reply & { retryAfter?: number }> => {
        const started = performance.now();
        try {
          const res = await fetch(url + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body), signal: AbortSignal.timeout(30_000) });
          const text = await res.text();
          return { status: res.status, body: text ? JSON.parse(text) : null, ms: performance.now() - started, retryAfter: Number(res.headers.get("retry-after") ?? 0) };
        } catch (error) {
          return { status: 0, body: { message: (error as Error).message }, ms: performance.now() - started };
        }
      });
      // A Retry-After of minutes is a ration (sign-ups per address), not a busy node: answered at once.
      if (![0, 429, 503].includes(reply.status) || attempt >= 6 || (reply.retryAfter ?? 0) > 10) {
        if (reply.status >= 500 || reply.status === 0) errors[String(reply.status || "network")] = (errors[String(reply.status || "network")] ?? 0) + 1;
        return reply;
      }
      await sleep((reply.retryAfter ? reply.retryAfter * 1000 : 100 * 2 ** attempt) * (0.5 + Math.random()));
    }
  }
  const must = async (what: string, reply: Promise<Reply>, ok = [200, 201]) => {
    const r = await reply;
    if (!ok.includes(r.status)) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
    return r.body;
  };

  // ---- The show and its on-sale.
  const admin = (await must("admin login", call("POST", "/api/auth/login", { body: { email: options.adminEmail ?? "admin@marquee.local", password: options.adminPassword ?? "marquee-admin" } }))).token;
  const movie = await must("movie", call("POST", "/api/admin/movies", { token: admin, body: { title: `Opening Day ${runId}`, durationMinutes: 160, rating: "UA", languages: ["Hindi"], genres: ["Action"] } }));
  const rows = Array.from({ length: Math.ceil(seatCount / 20) }, (_, i) => ({ row: String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : ""), category: "standard", seats: "s".repeat(Math.min(20, seatCount - i * 20)) }));
  const cinema = await must("cinema", call("POST", "/api/admin/cinemas", { token: admin, body: { name: `Premiere Hall ${runId}`, city: "Mumbai", timezone: "Asia/Kolkata", screens: [{ name: "IMAX", layout: { rows } }] } }));
  const show = await must("show", call("POST", "/api/admin/shows", { token: admin, body: { movieId: movie.id, cinemaId: cinema.id, screenId: cinema.screens[0].id, startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), prices: { standard: 25000 } } }));

  // ---- Customers.
  const customers: Customer[] = Array.from({ length: users }, (_, index) => ({ index, late: rng() < lateShare, state: "out" }));
  const registering = limiter(32);
  let registered = 0;
  await Promise.all(customers.map((c) => registering(async () => {
    const r = await call("POST", "/api/auth/register", { body: { email: `onsale-${runId}-${c.index}@simulate.marquee.local`, password: "simulated customer", name: `Fan ${c.index + 1}` } });
    if (r.status === 201) c.token = r.body.token;
    else if (r.body?.type === "SIGNUP_THROTTLED") throw new Error(`the server rations sign-ups per address (429 SIGNUP_THROTTLED): start it with SIGNUP_MAX_PER_ADDRESS=${users * 10} (and SCRYPT_N=1024 for quick sign-ups)`);
    else problem(`register ${c.index}: ${r.status} ${r.body?.type ?? ""}`);
    if (++registered % 1000 === 0) log(`registered ${registered}/${users}`);
  })));

  const opensAt = Date.now() + prequeueMs;
  const onsale = await must("on-sale", call("POST", "/api/admin/onsales", { token: admin, body: { shows: [show.id], opensAt: new Date(opensAt).toISOString(), admissionRate: options.rate ?? "automatic", finishWithinSeconds: options.windowSeconds ?? 120, maxTicketsPerAccount: maxTickets } }));
  log(`on-sale ${onsale.id} for ${seatCount} seats opens in ${prequeueMs / 1000} s; ${users} customers`);

  // ---- The live stream all customers follow.
  let snapshot: Json = { status: "scheduled", admitted: 0 };
  let soldOutAt: number | undefined;
  let lastAdmissionAt = opensAt;
  let lastAdmitted = 0;
  let toldSoldOut = 0;
  const stream = new AbortController();
  const listening = (async () => {
    const res = await fetch(`${url}/api/onsales/${onsale.id}/queue/events`, { signal: stream.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data) onSnapshot(JSON.parse(data));
      }
    }
  })().catch((error: Error) => { if (error.name !== "AbortError") problem(`stream: ${error.message}`); });

  const joinLatencies = samples.join;
  let finished = 0;
  let allDone!: () => void;
  const everyoneDone = new Promise<void>((resolve) => { allDone = resolve; });
  const finish = (c: Customer) => {
    if (c.state === "done") return;
    c.state = "done";
    if (++finished === users) allDone();
  };
  const confirmed: { id: string; seats: string[] }[] = [];
  const holds = { attempts: 0, wins: 0, conflicts: 0, ticketLimit: 0, passRefused: 0 };

  function onSnapshot(s: Json) {
    const was = snapshot;
    snapshot = s;
    if (s.admitted > lastAdmitted) { lastAdmitted = s.admitted; lastAdmissionAt = Date.now(); }
    if (s.status !== was.status || s.admitted !== was.admitted) log(`${((Date.now() - opensAt) / 1000).toFixed(1)} s: ${s.status}, ${s.admitted} let in of ${s.queueLength}, ${s.seatsLeft ?? "?"} seats free, ${s.seatsHeld ?? "?"} held; ${confirmed.length} bookings`);
    if (was.status === "scheduled" && s.status !== "scheduled") for (const c of customers) if (c.state === "queued" && c.place === undefined) void learnPlace(c);
    if (s.status === "sold_out" && soldOutAt === undefined) {
      soldOutAt = Date.now();
      for (const c of customers) if (c.state === "queued" || c.state === "out") { if (c.state === "queued") toldSoldOut++; finish(c); }
    }
    for (const c of customers) if (c.state === "queued" && c.place !== undefined && c.place <= s.admitted) void shop(c);
  }

  async function learnPlace(c: Customer) {
    await sleep(rng() * 2_000);
    const r = await call("GET", `/api/onsales/${onsale.id}/queue`, { token: c.token });
    samples.position.push(r.ms);
    if (r.status !== 200 || c.state !== "queued") return;
    if (r.body.place === undefined) { setTimeout(() => void learnPlace(c), 1_000); return; }
    c.place = r.body.place;
    c.placeSeenAt = Date.now();
    c.estimateS = r.body.status === "waiting" ? r.body.estimatedWaitSeconds : 0;
    if (r.body.status === "admitted" || c.place! <= snapshot.admitted) void shop(c);
    else if (r.body.status === "sold_out") finish(c);
  }

  async function shop(c: Customer) {
    if (c.state !== "queued") return;
    c.state = "shopping";
    c.admittedSeenAt = Date.now();
    const r = mulberry32(seed ^ Math.imul(c.index + 1, 0x9e3779b1));
    try {
      // The stream can run a moment ahead of what a gateway has read: ask again, as the page does.
      let position = await call("GET", `/api/onsales/${onsale.id}/queue`, { token: c.token });
      for (let i = 0; i < 10 && position.body?.status === "waiting"; i++) {
        await sleep(500);
        position = await call("GET", `/api/onsales/${onsale.id}/queue`, { token: c.token });
      }
      samples.position.push(position.ms);
      if (position.body?.status !== "admitted") return;
      const pass = position.body.pass as string;
      const until = Date.parse(position.body.passExpiresAt);
      const want = 1 + Math.floor(r() * maxTickets);
      for (let attempt = 0; attempt < 6 && Date.now() < until && soldOutAt === undefined; attempt++) {
        const seatMap = await call("GET", `/api/shows/${show.id}`);
        const free = (seatMap.body.seats as Json[]).filter((s) => s.status === "available").map((s) => String(s.id));
        if (free.length === 0) { attempt--; await sleep(1_000); continue; }
        holds.attempts++;
        const held = await call("POST", `/api/shows/${show.id}/holds`, { token: c.token, body: { seats: pickSeats(r, free, want), queuePass: pass }, key: `onsale-${runId}-${c.index}-${attempt}` });
        samples.hold.push(held.ms);
        if (held.status === 409) { holds.conflicts++; continue; }
        if (held.status === 403) { holds.passRefused++; problem(`customer ${c.index}: pass refused (${held.body?.data?.reason})`); return; }
        if (held.status === 422 && held.body?.type === "TICKET_LIMIT") { holds.ticketLimit++; return; }
        if (held.status !== 201) { problem(`hold: ${held.status} ${held.body?.type ?? ""}`); return; }
        holds.wins++;
        await sleep(thinkMs * (0.5 + r()));
        if (r() < payRatio) {
          const booking = await call("POST", "/api/bookings", { token: c.token, body: { holdId: held.body.id }, key: `onsale-${runId}-${c.index}-book` });
          if (booking.status !== 201) { problem(`book: ${booking.status} ${booking.body?.type ?? ""}`); return; }
          const paid = await call("POST", `/api/bookings/${booking.body.id}/pay`, { token: c.token, body: { paymentMethod: "pm_card_visa" }, key: `onsale-${runId}-${c.index}-pay` });
          samples.pay.push(paid.ms);
          if (paid.status === 200 && paid.body.status === "confirmed") confirmed.push({ id: paid.body.id, seats: paid.body.seats });
          else problem(`pay: ${paid.status} ${paid.body?.type ?? paid.body?.status ?? ""}`);
        } else {
          await call("DELETE", `/api/holds/${encodeURIComponent(held.body.id)}`, { token: c.token });
        }
        return;
      }
    } finally {
      finish(c);
    }
  }

  async function join(c: Customer) {
    if (!c.token) return finish(c);
    const at = c.late ? opensAt + 200 + rng() * 10_000 : opensAt - prequeueMs + rng() * (prequeueMs - 1_500);
    await sleep(Math.max(0, at - Date.now()));
    if (soldOutAt !== undefined) return finish(c);
    c.arrival = Date.now();
    const r = await call("POST", `/api/onsales/${onsale.id}/queue`, { token: c.token });
    joinLatencies.push(r.ms);
    if (r.status !== 201 && r.status !== 200) { problem(`join: ${r.status} ${r.body?.type ?? ""}`); return finish(c); }
    c.joinedAt = Date.now();
    c.state = "queued";
    if (snapshot.status !== "scheduled") void learnPlace(c);
  }

  await Promise.race([Promise.all(customers.map(join)).then(() => everyoneDone), deadline(prequeueMs + maxMs)]);
  stream.abort();
  await listening;

  // ---- Verify: no seat in two confirmed bookings, and the seat map agrees with the bookings.
  const owners = new Map<string, number>();
  for (const b of confirmed) for (const seat of b.seats) owners.set(seat, (owners.get(seat) ?? 0) + 1);
  const doubleBookings = [...owners.values()].filter((n) => n > 1).length;
  const map = await must("seat map", call("GET", `/api/shows/${show.id}`));
  const booked = new Set((map.seats as Json[]).filter((s) => s.status === "booked").map((s) => String(s.id)));
  const seatsNotBooked = [...owners.keys()].filter((s) => !booked.has(s)).length;
  const bookedWithoutBooking = [...booked].filter((s) => !owners.has(s)).length;

  // ---- Fairness among the pre-queue, and waits against estimates.
  const prequeue = customers.filter((c) => !c.late && c.arrival !== undefined && c.place !== undefined && c.arrival < opensAt);
  const byArrival = [...prequeue].sort((a, b) => a.arrival! - b.arrival!);
  const tenth = Math.max(1, Math.floor(byArrival.length / 10));
  const firstTenthInFirstTenth = byArrival.length ? byArrival.slice(0, tenth).filter((c) => c.place! <= tenth).length / tenth : 0;
  const waited = customers.filter((c) => c.admittedSeenAt !== undefined && c.placeSeenAt !== undefined && typeof c.estimateS === "number" && c.estimateS > 0);
  const seen = waited.map((c) => (c.admittedSeenAt! - c.placeSeenAt!) / 1000);
  const estimates = waited.map((c) => c.estimateS as number);
  const admittedCount = snapshot.admitted as number;
  return {
    url, seed, onsaleId: onsale.id, showId: show.id, users, seats: seatCount, prequeued: prequeue.length,
    soldOut: soldOutAt !== undefined,
    timeToSellOutMs: soldOutAt !== undefined ? soldOutAt - opensAt : null,
    admitted: admittedCount,
    admittedPerMinute: Math.round((admittedCount * 60_000) / Math.max(1_000, lastAdmissionAt - opensAt)),
    lotteryCorrelation: Math.round(spearman(prequeue.map((c) => c.arrival!), prequeue.map((c) => c.place!)) * 1000) / 1000,
    firstTenthInFirstTenth: Math.round(firstTenthInFirstTenth * 1000) / 1000,
    waits: { count: waited.length, medianSeenS: Math.round(median(seen)), medianEstimateS: Math.round(median(estimates)), medianAbsErrorS: Math.round(median(waited.map((_, i) => Math.abs(seen[i]! - estimates[i]!)))) },
    toldSoldOut,
    holds,
    bookingsConfirmed: confirmed.length,
    seatsConfirmed: owners.size,
    doubleBookings, seatsNotBooked, bookedWithoutBooking,
    latency: { join: stats(samples.join), position: stats(samples.position), hold: stats(samples.hold), pay: stats(samples.pay) },
    errors, problems,
  };
}

export const onsaleViolated = (s: OnSaleSummary): boolean => s.doubleBookings > 0 || s.seatsNotBooked > 0 || s.bookedWithoutBooking > 0;

export function formatOnSaleSummary(s: OnSaleSummary): string {
  const l = s.latency;
  const ms = (x: LatencyStats) => `p50 ${x.p50.toFixed(0)} ms, p99 ${x.p99.toFixed(0)} ms (${x.count})`;
  const rows: [string, string][] = [
    ["customers", `${s.users} (${s.prequeued} in the pre-queue) for ${s.seats} seats`],
    ["lottery fairness", `arrival order vs place: Spearman ${s.lotteryCorrelation} (fair: near 0); first tenth to arrive placed in the first tenth: ${(s.firstTenthInFirstTenth * 100).toFixed(0)}% (fair: about 10%)`],
    ["admission", `${s.admitted} let in, ${s.admittedPerMinute}/min`],
    ["time to sell out", s.timeToSellOutMs === null ? "not sold out" : `${(s.timeToSellOutMs / 1000).toFixed(1)} s after the opening; ${s.toldSoldOut} still waiting were told at once`],
    ["wait seen vs estimate", s.waits.count ? `median ${s.waits.medianSeenS} s seen vs ${s.waits.medianEstimateS} s estimated, median error ${s.waits.medianAbsErrorS} s (${s.waits.count} customers)` : "no customer waited with an estimate"],
    ["holds", `${s.holds.attempts} attempts, ${s.holds.wins} won, ${s.holds.conflicts} conflicts, ${s.holds.ticketLimit} over the ticket limit, ${s.holds.passRefused} passes refused`],
    ["bookings", `${s.bookingsConfirmed} confirmed, ${s.seatsConfirmed} seats`],
    ["double bookings", s.doubleBookings === 0 ? "0  ok" : `${s.doubleBookings}  FAILED`],
    ["seat map check", s.seatsNotBooked + s.bookedWithoutBooking === 0 ? "agrees with the bookings  ok" : `${s.seatsNotBooked} confirmed seats not booked, ${s.bookedWithoutBooking} booked seats without a booking  FAILED`],
    ["latency", `join ${ms(l.join)}; position ${ms(l.position)}; hold ${ms(l.hold)}; pay ${ms(l.pay)}`],
    ["errors", Object.entries(s.errors).map(([k, v]) => `${k}: ${v}`).join(", ") || "none"],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`Marquee on-sale simulation against ${s.url}, seed ${s.seed}, on-sale ${s.onsaleId}`, "", ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`), ...(s.problems.length ? ["", "  problems:", ...s.problems.map((p) => `    - ${p}`)] : []), ""].join("\n");
}

const HELP = `Usage: npm run simulate -- --onsale [options]

A hot on-sale through the waiting room: a new show, an on-sale for it, customers in the
pre-queue and after the opening, admission, holds with queue passes, payments, until sold
out. Exits 1 if any seat was sold twice. Start the server with SCRYPT_N=1024 for quick
sign-ups, and a short HOLD_TTL_MS so walked-away holds come back quickly.

  --url <url>           gateway (default $MARQUEE_URL or http://localhost:3000)
  --users <n>           customers (default 2000)
  --seats <n>           seats of the show (default 400)
  --prequeue <s>        seconds the pre-queue is open before the opening (default 10)
  --late <0..1>         share arriving after the opening (default 0.1)
  --rate <n|automatic>  customers let in per minute (default automatic)
  --window <s>          time an admitted customer gets (default 120)
  --max-tickets <n>     tickets per account (default 4)
  --pay-ratio <0..1>    share of holders who pay (default 0.8)
  --seed <n>            seed for repeatable choices
  --json                the summary as JSON
`;

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: "string" }, users: { type: "string" }, seats: { type: "string" }, prequeue: { type: "string" }, late: { type: "string" },
      rate: { type: "string" }, window: { type: "string" }, "max-tickets": { type: "string" }, "pay-ratio": { type: "string" }, seed: { type: "string" },
      json: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) { process.stdout.write(HELP); return; }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  try {
    const summary = await simulateOnSale({
      url: values.url, users: num(values.users), seats: num(values.seats), prequeueSeconds: num(values.prequeue), lateShare: num(values.late),
      rate: values.rate === undefined || values.rate === "automatic" ? "automatic" : Number(values.rate), windowSeconds: num(values.window),
      maxTickets: num(values["max-tickets"]), payRatio: num(values["pay-ratio"]), seed: num(values.seed),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatOnSaleSummary(summary)}\n`);
    if (onsaleViolated(summary)) process.exitCode = 1;
  } catch (error) {
    process.stderr.write(`simulate --onsale: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
