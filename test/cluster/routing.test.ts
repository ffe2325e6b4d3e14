// Concurrent customers on two gateways: every answer is about its own request. A routed call to a
// show once lent its caller another request's context, so a pay could answer 201 with the
// Location of someone else's new booking.
import { httpJson, laterShows, startCluster, startNats, startRedis } from "../helpers/cluster.ts";
import { missingBinaries, testNeeding } from "../helpers/services.ts";

const test = testNeeding(missingBinaries("nats-server", "redis-server"));
const VISA = "pm_card_visa";

test.serial("customers booking at once on two gateways each get their own answer: a pay is a 200 with no Location", async (t) => {
  t.timeout(150_000);
  const nats = await startNats(t);
  const redis = await startRedis(t);
  const cluster = await startCluster(t, { nats, redis });
  const edge = (i: number) => cluster.edges[i % 2]!.url!;
  const shows = await laterShows(edge(0), 12);
  const wrong: string[] = [];
  let pays = 0;
  for (let round = 0; round < 5; round++) {
    await Promise.all(Array.from({ length: 16 }, async (_, c) => {
      const reg = await httpJson(edge(c), "POST", "/api/auth/register", { body: { email: `r${round}-${c}-${process.pid}-${Date.now()}@example.com`, password: "correct horse battery", name: "R" } });
      const token = reg.body.token as string;
      const show = shows[(c + round) % shows.length]!;
      const hold = await httpJson(edge(c), "POST", `/api/shows/${show.id}/holds`, { token, body: { seats: [`${"ABCDEFGH"[c % 8]}${1 + round + (c >> 3) * 7}`] } });
      if (hold.status !== 201) return;
      // The booking on one gateway, the pay on the other, so both see creations and payments interleave.
      const booking = await httpJson(edge(c + 1), "POST", "/api/bookings", { token, body: { holdId: hold.body.id } });
      if (booking.status !== 201 || booking.headers.get("location") !== `/api/bookings/${booking.body.id}`) wrong.push(`booking ${booking.status} ${booking.headers.get("location")}`);
      const paid = await httpJson(edge(c), "POST", `/api/bookings/${booking.body.id}/pay`, { token, body: { paymentMethod: VISA } });
      pays++;
      if (paid.status !== 200 || paid.headers.get("location") !== null) wrong.push(`pay ${paid.status} ${paid.headers.get("location")}`);
    }));
  }
  t.log(`${pays} pays`);
  t.true(pays > 40, `only ${pays} pays: the run proves little`);
  t.deepEqual(wrong, []);
});
