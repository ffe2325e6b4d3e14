// The history checker: given what a run's customers were told and the final state read back
// through the API (bookings, seat maps, the payments ledger), it names every way money and seats
// disagree. The tests, `npm run simulate` and the benchmarks all judge their runs with it, so
// "never sells a seat twice" and "every charge is confirmed or refunded" mean the same thing
// everywhere.

/** A booking as GET /api/bookings/:id or /api/me/bookings answers it (the fields the checks read). */
export interface CheckedBooking {
  id: string;
  showId: string;
  seats: string[];
  status: string;
  paymentInProgress?: boolean;
  payment?: { id?: string; status: string };
  /** What the cinema kept of it under its cancellation policy. */
  cancellationFee?: number;
}

/** An entry of GET /api/admin/payments. */
export interface CheckedLedgerEntry {
  kind: "charge" | "refund";
  showId: string;
  bookingId: string;
  id: string;
  paymentId?: string;
  amount: number;
  status: string;
}

/** What a customer was told about a booking, in the order the answers arrived. */
export interface Answer {
  bookingId: string;
  /** The action: pay or cancel. */
  action: "pay" | "cancel";
  /** The booking status the answer carried, when it carried one (200s, and 402/410 with the booking). */
  bookingStatus?: string;
  /** No answer came (a node died, a 5xx): the action may or may not have happened. */
  unknown?: boolean;
}

export interface RunHistory {
  bookings: CheckedBooking[];
  /** Each show's seat map as GET /api/shows/:id answers it. */
  seatMaps: { showId: string; seats: { id: string; status: string }[] }[];
  ledger: CheckedLedgerEntry[];
  answers?: Answer[];
  /** The documented settlement time has passed since the last request: nothing may be in flight any more. */
  settled: boolean;
}

export function checkHistory(run: RunHistory): string[] {
  const problems: string[] = [];
  const bookings = new Map(run.bookings.map((b) => [b.id, b]));

  // Each seat is in at most one confirmed booking, and shown booked on its seat map.
  const owners = new Map<string, string[]>();
  for (const b of run.bookings) {
    if (b.status !== "confirmed") continue;
    for (const seat of b.seats) {
      const key = `${b.showId} ${seat}`;
      owners.set(key, [...(owners.get(key) ?? []), b.id]);
    }
  }
  for (const [key, ids] of owners) if (ids.length > 1) problems.push(`seat ${key} is in ${ids.length} confirmed bookings: ${ids.join(", ")}`);
  for (const map of run.seatMaps) {
    const status = new Map(map.seats.map((s) => [s.id, s.status]));
    for (const [key, [id]] of owners) {
      const [showId, seat] = key.split(" ") as [string, string];
      if (showId === map.showId && status.get(seat) !== "booked") problems.push(`seat ${key} of confirmed booking ${id} shows as ${status.get(seat) ?? "missing"}`);
    }
  }

  // Each successful charge is the payment of exactly one confirmed booking, or refunded in full;
  // refunds never exceed what was charged.
  const refundsOf = new Map<string, number>();
  for (const r of run.ledger) {
    if (r.kind === "refund" && r.status !== "failed" && r.paymentId) refundsOf.set(r.paymentId, (refundsOf.get(r.paymentId) ?? 0) + r.amount);
    if (r.kind === "refund" && r.status === "failed") problems.push(`refund ${r.id} of booking ${r.bookingId} failed at the processor`);
  }
  const keptBy = new Map<string, string[]>();
  for (const c of run.ledger) {
    if (c.kind !== "charge") continue;
    if (c.status === "processing") {
      if (run.settled) problems.push(`charge ${c.id} of booking ${c.bookingId} is still unsettled after the settlement time`);
      continue;
    }
    if (c.status !== "succeeded" || !c.paymentId) continue;
    const refunded = refundsOf.get(c.paymentId) ?? 0;
    if (refunded > c.amount) problems.push(`payment ${c.paymentId} of booking ${c.bookingId}: refunds ${refunded} exceed the charge ${c.amount}`);
    const booking = bookings.get(c.bookingId);
    const kept = booking?.status === "confirmed" && booking.payment?.id === c.paymentId;
    // A cancelled booking's fee is the one part of a charge that may stay without seats.
    const fee = booking?.status === "cancelled" && booking.payment?.id === c.paymentId ? (booking.cancellationFee ?? 0) : 0;
    if (kept) keptBy.set(c.paymentId, [...(keptBy.get(c.paymentId) ?? []), c.bookingId]);
    // The cinema keeps at most its fee (an admin may give that back too).
    else if (c.amount - refunded > fee) {
      problems.push(`payment ${c.paymentId} of ${c.amount} for booking ${c.bookingId} (${booking?.status ?? "unknown"}) is neither confirmed nor refunded in full (refunded ${refunded})`);
    }
  }
  for (const [paymentId, ids] of keptBy) if (ids.length > 1) problems.push(`payment ${paymentId} confirms ${ids.length} bookings`);
  for (const b of run.bookings) {
    if (b.status === "confirmed" && !run.ledger.some((c) => c.kind === "charge" && c.status === "succeeded" && c.paymentId === b.payment?.id)) {
      problems.push(`booking ${b.id} is confirmed but no successful charge of it is on the ledger`);
    }
    if (run.settled && b.paymentInProgress) problems.push(`booking ${b.id} still has a payment in flight after the settlement time`);
  }

  // What customers were told stands: a booking answered "confirmed" stays confirmed unless a later
  // cancel of it was answered "cancelled".
  // A cancel nobody heard back from may have happened.
  const told = new Map<string, string>();
  const maybeCancelled = new Set<string>();
  for (const a of run.answers ?? []) {
    if (a.bookingStatus) told.set(a.bookingId, a.bookingStatus);
    if (a.action === "cancel" && a.unknown && told.get(a.bookingId) === "confirmed") maybeCancelled.add(a.bookingId);
  }
  for (const [bookingId, status] of told) {
    const now = bookings.get(bookingId)?.status;
    if (status === "confirmed" && now === "cancelled" && maybeCancelled.has(bookingId)) continue;
    if (status === "confirmed" && now !== "confirmed") problems.push(`booking ${bookingId} was answered confirmed but is ${now ?? "missing"}`);
    if (status === "cancelled" && now !== "cancelled") problems.push(`booking ${bookingId} was answered cancelled but is ${now ?? "missing"}`);
  }
  return problems;
}
