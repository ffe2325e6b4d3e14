import test from "ava";
import { commands, errorLine, OPERATOR, times } from "../../operators/commands.ts";
import { startServer } from "../helpers/http.ts";

const command = (name: string) => commands.find((c) => c.command.split(" ")[0] === name)!;

async function setup(t: Parameters<typeof startServer>[0]) {
  const api = await startServer(t);
  const broker = api.marquee.broker;
  const showId: string = (await api.dayAheadShow("?city=Mumbai")).id;
  const user = await api.customer();
  const hold = await api.request("POST", `/api/shows/${showId}/holds`, { token: user.token, body: { seats: ["A1", "A2"] } });
  return { api, broker, showId, user, hold: hold.body as { id: string } };
}

test("every operator command has help text", (t) => {
  t.deepEqual(commands.map((c) => c.command.split(" ")[0]).sort(), ["expire", "festival", "onsale", "onsales", "owners", "reprice", "seatmap", "shows"]);
  for (const c of commands) t.true(c.description.length > 20, c.command);
});

test("shows lists shows of a city with their occupancy", async (t) => {
  const { broker, showId } = await setup(t);
  const out = await command("shows").run(broker, { city: "Mumbai", limit: "500" });
  const line = out.split("\n").find((l) => l.startsWith(showId))!;
  t.regex(line, /0\/\d+ booked, 2 held/);
  t.false(out.includes("Bengaluru"));
});

test("seatmap draws the show's seats with held ones marked", async (t) => {
  const { broker, showId } = await setup(t);
  const out = await command("seatmap").run(broker, { showId });
  const rowA = out.split("\n").find((l) => l.trimStart().startsWith("A "))!;
  t.regex(rowA, /^\s+A hh\.+/);
  t.true(out.includes("SCREEN"));
});

test("owners shows this node owning the shard of an active show, with its epoch", async (t) => {
  const { broker } = await setup(t);
  const out = await command("owners").run(broker, {});
  t.regex(out, new RegExp(`${broker.nodeID}\\s+1\\s+1\\s+\\d+@1`));
});

test("expire frees a hold's seats at once", async (t) => {
  const { api, broker, showId, hold, user } = await setup(t);
  t.regex(await command("expire").run(broker, { showId, holdId: hold.id }), /is expired; seats A1, A2 are free/);
  t.is((await api.request("GET", `/api/holds/${hold.id}`, { token: user.token })).body.status, "expired");
});

test("festival adds a festival that prices the show's day, and reprice applies it at once", async (t) => {
  const { api, broker, showId } = await setup(t);
  const show = (await api.request("GET", `/api/shows/${showId}`)).body;
  const before = show.seats.find((s: { id: string }) => s.id === "A3").price;
  t.regex(await command("festival").run(broker, { id: "ops-day", name: "Operators Day", from: show.localDate, to: show.localDate, multiplier: "1.5", cities: "Mumbai" }), /festival ops-day .* saved/);
  t.regex(await command("reprice").run(broker, { showId }), /festival x1\.5/);
  const after = (await api.request("GET", `/api/shows/${showId}`)).body.seats.find((s: { id: string }) => s.id === "A3").price;
  t.true(after > before);
});

test("shows prints each show's city and its start on the cinema's own clock", async (t) => {
  const { api, broker, showId } = await setup(t);
  const show = (await api.request("GET", "/api/shows?city=Mumbai")).body.find((s: { id: string }) => s.id === showId);
  const local = new Intl.DateTimeFormat("sv-SE", { timeZone: show.timezone, dateStyle: "short", timeStyle: "short" }).format(new Date(show.startsAt));
  const out = await command("shows").run(broker, { city: "Mumbai", limit: "500" });
  t.regex(out.split("\n")[0]!, /city\s+starts \(cinema time\)/);
  const line = out.split("\n").find((l) => l.startsWith(showId))!;
  t.true(line.includes(`Mumbai  ${local}`), line);
  t.false(line.includes("Z "), "no UTC timestamps");
});

test("a bad option or parameter names the field it is about", async (t) => {
  const { broker } = await setup(t);
  await t.throwsAsync(command("shows").run(broker, { date: "tomorrow" }), { message: /--date must be a cinema-local date YYYY-MM-DD .*"tomorrow"/ });
  const refused = await broker.call("pricing.upsert", { collection: "festivals", id: "x", name: "X", from: "soon", to: "2027-01-01", multiplier: 1.1 }, { meta: { caller: OPERATOR } }).catch((e: unknown) => e);
  t.regex(errorLine(refused), /^error: .*'from'.* \(VALIDATION_ERROR\)$/);
});

test("reprice rounds multipliers to at most three decimals", async (t) => {
  const { broker, showId } = await setup(t);
  const out = await command("reprice").run(broker, { showId });
  t.regex(out, /x\d/);
  t.notRegex(out, /x\d+\.\d{4,}/);
  t.is(times(0.9066666666666667), "x0.907");
});

test("owners on one node says how many of the shards it owns and why the rest have no owner", async (t) => {
  const { broker } = await setup(t);
  const out = await command("owners").run(broker, {});
  t.regex(out, /1 of 64 shards owned; a node takes a shard's lease when one of its shows is first used.*one node/);
});

test("onsale schedules an on-sale and onsales lists it with its queue", async (t) => {
  const { broker, showId } = await setup(t);
  const opensAt = new Date(Date.now() + 3_600_000).toISOString();
  const out = await command("onsale").run(broker, { shows: showId, opensAt, rate: "120", max: "4" });
  const id = /on-sale (ons_\w+)/.exec(out)![1]!;
  t.true(out.includes(`/api/onsales/${id}/queue`));
  const listed = await command("onsales").run(broker, {});
  t.regex(listed.split("\n").find((l) => l.startsWith(id))!, new RegExp(`${showId}\\s+${opensAt.replace(/[.]/g, "\\.")}\\s+120\\s+scheduled\\s+0\\s+0`));
  await t.throwsAsync(command("onsale").run(broker, { shows: showId, opensAt }), { message: /already in on-sale/ });
});
