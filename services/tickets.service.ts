// Tickets: a paid booking's short code, its signed QR payload (as an SVG) and what cancelling
// would refund now; and admission at the door. Who may see a ticket is the booking's rule:
// admin.getBooking answers 404 to anyone else. Admitting is the show actor's decision, so a
// ticket gets in once however many doors scan it at the same moment.
import type { Context, ServiceSchema } from "moleculer";
import QRCode from "qrcode";
import type { BookingView as BookingRecord } from "../domain/show/views.ts";
import { cancellationRefund } from "../domain/show/booking.ts";
import { bookingCode, normaliseCode, signTicket, verifyTicket } from "../domain/ticket/ticket.ts";
import { localClock, localDate } from "../domain/zone.ts";
import { usherOf } from "./caller.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { ConflictError, UnprocessableError, type MarqueeError } from "./errors.ts";
import { idParam as id } from "./params.ts";
import { call } from "./contracts.ts";

type Ctx<P> = Context<P, CallMeta>;

export default function ticketsService({ config }: ServiceDeps): ServiceSchema {
  return {
    name: "tickets",
    actions: {
      /** An usher admits a scanned QR payload or a typed booking code at a door of a show. */
      admit: {
        params: {
          showId: id,
          payload: { type: "string", optional: true, min: 1, max: 2_000 },
          code: { type: "string", optional: true, min: 1, max: 20 },
          door: { type: "string", min: 1, max: 40, trim: true },
        },
        async handler(ctx: Ctx<{ showId: string; payload?: string; code?: string; door: string }>) {
          const usher = usherOf(ctx);
          const { showId, payload, door } = ctx.params;
          let find: { bookingId: string } | { code: string };
          if (payload !== undefined) {
            const checked = verifyTicket(payload, config.ticketSecret, showId);
            if (!checked.ok) {
              if (checked.problem === "other_show") throw new ConflictError("This ticket is for another show: send the guest to the right screen", "TICKET_OTHER_SHOW", { showId });
              throw new UnprocessableError("This is not a genuine Marquee ticket (unreadable, forged or altered): ask for the booking code", "TICKET_INVALID", { problem: checked.problem });
            }
            find = { bookingId: checked.claim.bookingId };
          } else {
            const code = ctx.params.code === undefined ? null : normaliseCode(ctx.params.code);
            if (!code) throw new UnprocessableError("Type the booking code as printed, e.g. MQ-7K3F9Q", "INVALID_CODE");
            find = { code };
          }
          const [show] = await call(ctx, "catalog.showSummaries", { showIds: [showId] });
          let booking: BookingRecord;
          try {
            booking = await call(ctx, "show.admit", { showId, ...find, door, usherId: usher.id });
          } catch (error) {
            const e = error as MarqueeError & { data?: { admittedAt?: string; door?: string } };
            // The door reads the cinema's clock: "already admitted at 18:02 by Door 2".
            if (e.type === "TICKET_ALREADY_ADMITTED" && e.data?.admittedAt && show) {
              const at = Date.parse(e.data.admittedAt);
              const day = localDate(at, show.timezone) === localDate(Date.now(), show.timezone) ? "" : ` on ${localDate(at, show.timezone)}`;
              throw new ConflictError(`Already admitted at ${localClock(at, show.timezone)}${day} by ${e.data.door}`, e.type, e.data);
            }
            throw error;
          }
          return {
            admitted: true, code: bookingCode(booking.id), bookingId: booking.id, seats: booking.seats, door,
            at: booking.admitted!.at, show: show ?? null,
          };
        },
      },

      ticket: {
        params: { bookingId: id },
        async handler(ctx: Ctx<{ bookingId: string }>) {
          const booking = await call(ctx, "admin.getBooking", { bookingId: ctx.params.bookingId });
          if (booking.status !== "confirmed") {
            throw new ConflictError(`Booking ${booking.id} is ${booking.status.replaceAll("_", " ")}: only a paid booking has a ticket`, "NO_TICKET", { status: booking.status });
          }
          const [[show], details] = await Promise.all([
            call(ctx, "catalog.showSummaries", { showIds: [booking.showId] }),
            call(ctx, "catalog.getShow", { showId: booking.showId }).catch(() => undefined),
          ]);
          const payload = signTicket({ bookingId: booking.id, showId: booking.showId, seats: booking.seats }, config.ticketSecret);
          const qrSvg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
          const cancelUntil = show ? Date.parse(show.startsAt) - config.cancelCutoffMs : 0;
          // A ticket that was let in is used: it is not refunded (the decider refuses the cancel).
          const { admitted } = booking;
          const cancellable = Date.now() < cancelUntil && !admitted;
          return {
            bookingId: booking.id,
            code: bookingCode(booking.id),
            status: booking.status,
            seats: booking.seats,
            amount: booking.amount,
            currency: booking.currency,
            lines: booking.lines,
            charges: booking.charges,
            payment: booking.payment,
            show: show ?? null,
            cancelUntil: show ? new Date(cancelUntil).toISOString() : null,
            /** What cancelling now would refund (the decider's rule: less the cinema's fee) until the cutoff, nothing after. */
            refundIfCancelled: cancellable ? cancellationRefund(booking.amount, details?.cinema.refundPolicy) : 0,
            admitted: admitted ?? null,
            payload,
            qrSvg,
          };
        },
      },
    },
  };
}
