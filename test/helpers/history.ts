// Reads a run's final state back through the API and judges it with the history checker.
import { checkHistory, type Answer, type CheckedBooking } from "../../domain/booking/history.ts";

type Get = (path: string, token: string) => Promise<{ status: number; body: any }>;

/** Every customer's bookings, the seat maps of the shows they touched and the ledger; the checker's verdict. */
export async function verifyRun(get: Get, options: { adminToken: string; customerTokens: string[]; showIds?: string[]; answers?: Answer[]; settled: boolean }): Promise<string[]> {
  const bookings: CheckedBooking[] = [];
  for (const token of options.customerTokens) {
    const mine = await get("/api/me/bookings", token);
    if (mine.status !== 200) return [`GET /api/me/bookings answered ${mine.status}: ${JSON.stringify(mine.body)}`];
    bookings.push(...mine.body);
  }
  const ledger = await get("/api/admin/payments", options.adminToken);
  if (ledger.status !== 200) return [`GET /api/admin/payments answered ${ledger.status}: ${JSON.stringify(ledger.body)}`];
  const showIds = [...new Set([...(options.showIds ?? []), ...bookings.map((b) => b.showId)])];
  const seatMaps = await Promise.all(showIds.map(async (showId) => ({ showId, seats: (await get(`/api/shows/${showId}`, options.adminToken)).body.seats })));
  return checkHistory({ bookings, seatMaps, ledger: ledger.body, answers: options.answers ?? [], settled: options.settled });
}

/** What an answer to pay or cancel told the customer about their booking. */
export function answerOf(bookingId: string, action: "pay" | "cancel", reply: { status: number; body: any }): Answer {
  const status = reply.status === 200 ? reply.body?.status : reply.body?.data?.booking?.status;
  return { bookingId, action, ...(typeof status === "string" ? { bookingStatus: status } : {}), ...(reply.status === 0 || reply.status >= 500 ? { unknown: true } : {}) };
}
