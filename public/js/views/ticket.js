// One ticket: the code to read out, the QR code the door scans, when and where, the seats, what
// cancelling would refund and the receipt with its GST lines.
import { api, describeError, session } from "../api.js";
import { h } from "../dom.js";
import { clock, dateTime, money } from "../format.js";
import { renderQuote } from "../quote.js";
import { setTitle } from "../ui.js";

export async function ticketView(main, { params, active }) {
  setTitle("Ticket");
  if (!session.user()) {
    main.append(h("h1", { tabindex: "-1" }, "Ticket"), h("p", null, h("a", { href: `#/login?next=${encodeURIComponent(`#/ticket/${params.id}`)}` }, "Log in"), " to see your ticket."));
    return;
  }
  main.append(h("p", { class: "loading" }, "Loading your ticket…"));
  let ticket;
  try {
    ticket = await api("GET", `/bookings/${encodeURIComponent(params.id)}/ticket`);
  } catch (err) {
    if (!active()) return;
    main.replaceChildren(h("h1", { tabindex: "-1" }, "No ticket to show"), h("p", null, describeError(err)), h("p", null, h("a", { href: "#/bookings" }, "My bookings")));
    return;
  }
  if (!active()) return;
  const show = ticket.show;
  const tz = show?.timezone ?? "Asia/Kolkata";
  setTitle(`Ticket ${ticket.code}`);
  // The QR code is an SVG made by the server from the signed payload; as an <img> it can only be drawn.
  const qr = h("img", { class: "ticket-qr", "data-testid": "ticket-qr", alt: `QR code of ticket ${ticket.code}`, width: "240", height: "240", src: `data:image/svg+xml;base64,${btoa(ticket.qrSvg)}` });
  main.replaceChildren(
    h("article", { class: "ticket card", "data-testid": "ticket", "data-booking-id": ticket.bookingId, "aria-labelledby": "ticket-title" },
      h("h1", { id: "ticket-title", tabindex: "-1" }, show?.movieTitle ?? "Your ticket"),
      show ? h("p", { class: "where" }, h("strong", null, dateTime(show.startsAt, tz)), ` · ${show.cinemaName}, ${show.city} · ${show.screenName}`) : null,
      h("div", { class: "ticket-main" },
        qr,
        h("dl", { class: "facts" },
          h("dt", null, "Booking code"), h("dd", null, h("strong", { class: "ticket-code", "data-testid": "ticket-code" }, ticket.code)),
          h("dt", null, "Seats"), h("dd", { "data-testid": "ticket-seats" }, ticket.seats.join(", ")),
          h("dt", null, "Paid"), h("dd", null, money(ticket.amount, ticket.currency)))),
      h("p", { class: "hint" }, "Show this code at the door. It is checked once: a copy cannot get a second person in."),
      ticket.admitted ? h("p", { class: "notice", "data-testid": "ticket-admitted" }, `Used: let in at ${clock(ticket.admitted.at, tz)} by ${ticket.admitted.door}.`) : null,
      h("p", { class: "terms", "data-testid": "ticket-cancel-terms" }, ticket.refundIfCancelled > 0
        ? `You can cancel until ${dateTime(ticket.cancelUntil, tz)} for a full refund of ${money(ticket.refundIfCancelled, ticket.currency)}.`
        : ticket.admitted ? "A used ticket cannot be cancelled." : "Cancelling has closed for this show: no refund."),
      h("details", null, h("summary", null, "Receipt"),
        renderQuote({ currency: ticket.currency, total: ticket.amount, lines: ticket.lines, charges: ticket.charges }, { testid: "ticket-receipt" })),
      h("p", { class: "actions" }, h("a", { class: "button button--quiet", href: "#/bookings" }, "My bookings"))));
}
