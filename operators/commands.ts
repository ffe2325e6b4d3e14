// Operator commands for the Moleculer REPL (`npm run repl`). Each command is a function from
// the broker and its arguments to the text it prints, so tests run them without a terminal.
// Operators act as an admin: anyone who can reach the transporter can call any action anyway.
import type { ServiceBroker } from "moleculer";
import { localClock, localDate } from "../domain/zone.ts";
import type { Caller } from "../services/deps.ts";
import { showNodes } from "../services/show.routing.ts";

export const OPERATOR: Caller = { id: "operator", email: "operator@repl", name: "Operator (REPL)", role: "admin" };
const meta = { caller: OPERATOR };

interface ShowSummary { id: string; movieTitle: string; cinemaName: string; city: string; timezone: string; startsAt: string }
interface Stats { forSale: number; held: number; booked: number; available: number; bookings: number; revenue: Record<string, number> }
interface OnSaleListed {
  id: string; shows: string[]; opensAt: string; admissionRate: number | "automatic"; queueUrl: string;
  status?: string; queueLength?: number; admitted?: number; seats?: { available: number; held: number } | null;
}
interface SeatDef { id: string; row: string; number: number; column: number; forSale: boolean }

/** A pricing multiplier as people read it: x0.907, not x0.9066666666666667. */
export const times = (multiplier: number) => `x${Number(multiplier.toFixed(3))}`;

/** When a show starts on its cinema's clock, as its id and the web app show it. */
const cinemaTime = (show: ShowSummary) => {
  const at = Date.parse(show.startsAt);
  return `${localDate(at, show.timezone)} ${localClock(at, show.timezone)}`;
};

const money = (revenue: Record<string, number>) => Object.entries(revenue).map(([c, v]) => `${(v / 100).toFixed(2)} ${c}`).join(", ") || "-";

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export interface OperatorCommand {
  command: string;
  description: string;
  options?: { option: string; description: string }[];
  run(broker: ServiceBroker, args: Record<string, string | undefined>): Promise<string>;
}

export const commands: OperatorCommand[] = [
  {
    command: "shows",
    description: "List shows with occupancy and revenue (--city, --date YYYY-MM-DD, --limit)",
    options: [
      { option: "--city <city>", description: "only this city" },
      { option: "--date <date>", description: "only this cinema-local date" },
      { option: "--limit <n>", description: "at most this many (default 20)" },
    ],
    async run(broker, args) {
      if (args.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(args.date)) throw new Error(`--date must be a cinema-local date YYYY-MM-DD (e.g. 2026-12-24), got "${args.date}"`);
      if (args.limit !== undefined && !(Number(args.limit) > 0)) throw new Error(`--limit must be a positive number, got "${args.limit}"`);
      const shows = await broker.call<ShowSummary[], object>("catalog.listShows", { ...(args.city ? { city: args.city } : {}), ...(args.date ? { date: args.date } : {}) });
      const picked = shows.slice(0, Number(args.limit ?? 20));
      const stats = await Promise.all(picked.map((s) => broker.call<Stats, object>("show.stats", { showId: s.id }).catch(() => undefined)));
      const rows = picked.map((s, i) => {
        const st = stats[i];
        return [s.id, s.movieTitle, s.cinemaName, s.city, cinemaTime(s), st ? `${st.booked}/${st.forSale} booked, ${st.held} held` : "unavailable", st ? money(st.revenue) : "-"];
      });
      return `${table([["show", "movie", "cinema", "city", "starts (cinema time)", "occupancy", "revenue"], ...rows])}\n${shows.length} shows${shows.length > picked.length ? `, first ${picked.length} listed` : ""}`;
    },
  },
  {
    command: "seatmap <showId>",
    description: "Print a show's seat map as a grid: . available, h held, B booked, x not for sale",
    async run(broker, args) {
      const showId = args.showId!;
      const [show, live] = await Promise.all([
        broker.call<{ seats: SeatDef[] }, object>("catalog.getShow", { showId }),
        broker.call<{ version: number; seats: Record<string, string> }, object>("show.seats", { showId }),
      ]);
      const glyph: Record<string, string> = { available: ".", held: "h", booked: "B", not_for_sale: "x" };
      const rows = new Map<string, SeatDef[]>();
      for (const seat of show.seats) rows.set(seat.row, [...(rows.get(seat.row) ?? []), seat]);
      const width = Math.max(...show.seats.map((s) => s.column)) + 1;
      const lines = [...rows].map(([row, seats]) => {
        const cells = Array.from({ length: width }, () => " ");
        for (const s of seats) cells[s.column] = s.forSale ? glyph[live.seats[s.id] ?? "available"]! : "x";
        return `${row.padStart(3)} ${cells.join("")}`;
      });
      return [`${showId} (version ${live.version})`, `    ${"SCREEN".padStart(Math.floor((width + 6) / 2)).padEnd(width)}`, ...lines, "    . available  h held  B booked  x not for sale"].join("\n");
    },
  },
  {
    command: "owners",
    description: "Which node owns which shards of shows, with lease epochs",
    async run(broker) {
      const nodes = showNodes(broker).sort();
      const owned = await Promise.all(nodes.map((nodeID) =>
        broker.call<{ nodeID: string; shards: { shard: number; epoch: number }[]; activeShows: number; shardCount?: number }, object>("show.owners", {}, { nodeID }).catch(() => ({ nodeID, shards: [], activeShows: 0, shardCount: undefined }))));
      const rows = owned.map((o) => [o.nodeID, String(o.shards.length), String(o.activeShows), o.shards.sort((a, b) => a.shard - b.shard).map((s) => `${s.shard}@${s.epoch}`).join(" ") || "-"]);
      const total = owned.find((o) => o.shardCount)?.shardCount;
      const taken = owned.reduce((n, o) => n + o.shards.length, 0);
      // Leases are taken on demand: a shard nobody has asked about since start has no owner yet.
      const note = total === undefined ? "" : `\n${taken} of ${total} shards owned; a node takes a shard's lease when one of its shows is first used, so the other ${total - taken} have no owner until then${nodes.length === 1 ? " (one node: every shard will be its own)" : ""}`;
      return table([["node", "shards", "active shows", "shard@epoch"], ...rows]) + note;
    },
  },
  {
    command: "expire <showId> <holdId>",
    description: "Force a hold to expire now and free its seats (not while it is being paid for)",
    async run(broker, args) {
      const hold = await broker.call<{ id: string; status: string; seats: string[] }, object>("show.expireHold", { showId: args.showId, holdId: args.holdId });
      return `hold ${hold.id} is ${hold.status}; seats ${hold.seats.join(", ")} are free`;
    },
  },
  {
    command: "reprice <showId>",
    description: "Recompute a show's prices now, outside the hourly cap (audited)",
    async run(broker, args) {
      const priced = await broker.call<{ multiplier: number; categoryPrices: Record<string, number>; factors: { factor: string; multiplier: number }[] }, object>("pricing.reprice", { showId: args.showId }, { meta });
      const factors = priced.factors.map((f) => `${f.factor} ${times(f.multiplier)}`).join(", ") || "none";
      return `${args.showId}: ${times(priced.multiplier)} (${factors})\n${Object.entries(priced.categoryPrices).map(([c, p]) => `  ${c}: ${(p / 100).toFixed(2)}`).join("\n")}`;
    },
  },
  {
    command: "festival <id> <name> <from> <to> <multiplier>",
    description: "Add or change a festival: dates YYYY-MM-DD (cinema-local, inclusive), e.g. festival holi-2027 Holi 2027-03-22 2027-03-22 1.15 --cities Mumbai,Pune",
    options: [{ option: "--cities <list>", description: "comma list of cities (default: everywhere)" }],
    async run(broker, args) {
      const cities = args.cities?.split(",").map((c) => c.trim()).filter(Boolean);
      const festival = await broker.call<{ id: string; name: string; from: string; to: string; multiplier: number }, object>("pricing.upsert", {
        collection: "festivals", id: args.id, name: args.name, from: args.from, to: args.to, multiplier: Number(args.multiplier), ...(cities?.length ? { cities } : {}),
      }, { meta });
      return `festival ${festival.id} (${festival.name}) ${festival.from}..${festival.to} x${festival.multiplier}${cities?.length ? ` in ${cities.join(", ")}` : ""} saved`;
    },
  },
  {
    command: "onsale <shows> <opensAt>",
    description: "Schedule an on-sale: a comma list of shows and an ISO opening time, e.g. onsale s1,s2 2026-12-01T10:00:00+05:30 --rate automatic",
    options: [
      { option: "--rate <n>", description: "customers let in per minute, or automatic (default)" },
      { option: "--window <seconds>", description: "time an admitted customer gets to finish (default 600)" },
      { option: "--max <n>", description: "most tickets per account per show (default 6)" },
    ],
    async run(broker, args) {
      const rate = args.rate === undefined || args.rate === "automatic" ? "automatic" : Number(args.rate);
      const made = await broker.call<OnSaleListed, object>("onsale.create", {
        shows: args.shows!.split(",").map((s) => s.trim()).filter(Boolean), opensAt: args.opensAt,
        admissionRate: rate, finishWithinSeconds: Number(args.window ?? 600), maxTicketsPerAccount: Number(args.max ?? 6),
      }, { meta });
      return `on-sale ${made.id} for ${made.shows.join(", ")} opens ${made.opensAt}; queue at ${made.queueUrl}`;
    },
  },
  {
    command: "onsales",
    description: "List on-sales with their status, queue length, customers let in and seats left",
    async run(broker) {
      const onsales = await broker.call<OnSaleListed[], object>("onsale.list", {}, { meta });
      const rows = onsales.map((o) => [o.id, o.shows.join(","), o.opensAt, String(o.admissionRate), o.status ?? "scheduled", String(o.queueLength), String(o.admitted), o.seats ? `${o.seats.available} free, ${o.seats.held} held` : "-"].map((cell) => cell ?? "-"));
      return `${table([["on-sale", "shows", "opens", "rate/min", "status", "queue", "let in", "seats"], ...rows])}\n${onsales.length} on-sales`;
    },
  },
];

/** One line for a failed command; a validation error names each field and what is wrong with it. */
export function errorLine(error: unknown): string {
  const e = error as { message?: string; type?: string; data?: unknown };
  if (e.type === "VALIDATION_ERROR" && Array.isArray(e.data)) {
    const problems = (e.data as { field?: string; message?: string }[]).map((p) => p.message ?? `${p.field} is not valid`);
    return `error: ${problems.join(" ")} (VALIDATION_ERROR)`;
  }
  return `error: ${e.message ?? String(error)}${e.type ? ` (${e.type})` : ""}`;
}

/** The commands in moleculer-repl's custom command format; failures print, never crash the REPL. */
export function replCommands() {
  return commands.map((c) => ({
    command: c.command,
    description: c.description,
    options: c.options ?? [],
    async action(broker: ServiceBroker, args: Record<string, string | undefined> & { options?: Record<string, string> }) {
      try {
        console.log(await c.run(broker, { ...args, ...args.options }));
      } catch (error) {
        console.log(errorLine(error));
      }
    },
  }));
}
