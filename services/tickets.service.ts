// Tickets: a paid booking's short code, its signed QR payload (as an SVG) and what cancelling
// would refund now. Who may see a ticket is the booking's rule: admin.getBooking answers 404
// to anyone else.
import type { Context, ServiceSchema } from "moleculer";
import QRCode from "qrcode";
import type { BookingRecord } from "../domain/booking/booking.ts";
import type { ShowSummary } from "../domain/catalog/types.ts";
import { bookingCode, signTicket } from "../domain/ticket/ticket.ts";
import type { CallMeta, ServiceDeps } from "./deps.ts";
import { ConflictError } from "./errors.ts";
import { idParam as id } from "./params.ts";

type Ctx<P> = Context<P, CallMeta>;

export default function ticketsService({ config }: ServiceDeps): ServiceSchema {
  return {
    name: "tickets",
    actions: {
      ticket: {
        params: { bookingId: id },
        async handler(ctx: Ctx<{ bookingId: string }>) {
          const booking = await ctx.call<BookingRecord, { bookingId: string }>("admin.getBooking", { bookingId: ctx.params.bookingId });
          if (booking.status !== "confirmed") {
            throw new ConflictError(`Booking ${booking.id} is ${booking.status.replaceAll("_", " ")}: only a paid booking has a ticket`, "NO_TICKET", { status: booking.status });
          }
          const [show] = await ctx.call<ShowSummary[], { showIds: string[] }>("catalog.showSummaries", { showIds: [booking.showId] });
          const payload = signTicket({ bookingId: booking.id, showId: booking.showId, seats: booking.seats }, config.ticketSecret);
          const qrSvg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
          const cancelUntil = show ? Date.parse(show.startsAt) - config.cancelCutoffMs : 0;
          const cancellable = Date.now() < cancelUntil;
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
            /** What cancelling now would refund: the whole amount until the cutoff, nothing after. */
            refundIfCancelled: cancellable ? booking.amount : 0,
            payload,
            qrSvg,
          };
        },
      },
    },
  };
}
