// The customer's bookings, newest first, with cancel (and refund) where the rules allow it.
import { api, describeError, session } from "../api.js";
import { append, busy, clear, h } from "../dom.js";
import { cardBrand, dateTime, money } from "../format.js";
import { renderQuote } from "../quote.js";
import { reviewForm } from "./reviews.js";
import { announce, askFirst, setTitle, showError } from "../ui.js";

const STATUS = {
  pending_payment: "Awaiting payment",
  payment_failed: "Payment failed",
  confirmed: "Confirmed",
  cancelled: "Cancelled",
  expired: "Expired",
  refunded: "Refunded",
};

export async function bookingsView(main, { active }) {
  setTitle("My bookings");
  const heading = h("h1", { tabindex: "-1" }, "My bookings");
  main.append(heading);
  const user = session.user();
  if (!user) {
    main.append(h("p", null, h("a", { href: `#/login?next=${encodeURIComponent("#/bookings")}` }, "Log in"), " to see your bookings."));
    return;
  }
  const listEl = h("ul", { class: "bookings", "data-testid": "bookings-list", "aria-busy": "true" });
  main.append(listEl);
  let bookings;
  let reviewable = new Set();
  try {
    const [mine, open] = await Promise.all([api("GET", "/me/bookings"), api("GET", "/me/reviewable").catch(() => [])]);
    bookings = mine;
    reviewable = new Set(open.map((r) => r.bookingId));
  } catch (err) {
    if (!active()) return;
    listEl.removeAttribute("aria-busy");
    showError(describeError(err));
    return;
  }
  if (!active()) return;
  listEl.removeAttribute("aria-busy");
  if (!bookings.length) {
    listEl.replaceWith(h("p", { "data-testid": "bookings-empty" }, "No bookings yet. ", h("a", { href: "#/" }, "Find a movie"), "."));
    return;
  }
  // Each booking carries its show's summary (movie, cinema, time): no request per show.
  for (const booking of bookings) listEl.append(item(booking, booking.show, reviewable.has(booking.id)));
}

function item(booking, show, canReview) {
  const li = h("li", { class: "booking card", "data-testid": "booking", "data-booking-id": booking.id, "data-status": booking.status });
  render();
  return li;

  function render() {
    const titleId = `b-${booking.id}`;
    const tz = show?.timezone ?? "Asia/Kolkata";
    const card = booking.payment?.card;
    // A ticket let in at the door is used, and one whose payment is under way must wait: the
    // server refuses both, so the page does not offer them.
    const canCancel = ["confirmed", "pending_payment", "payment_failed"].includes(booking.status) && !booking.admitted && !booking.paymentInProgress
      && (!show || Date.parse(show.startsAt) > Date.now());
    const canPay = ["pending_payment", "payment_failed"].includes(booking.status);
    // Said on every live booking: until when cancelling refunds, and how much.
    const open = booking.cancelUntil && Date.parse(booking.cancelUntil) > Date.now();
    const cancelTerms = !canCancel ? null : open
      ? `Free until ${dateTime(booking.cancelUntil, tz)}${booking.status === "confirmed" ? `: full refund of ${money(booking.amount, booking.currency)}` : ""}`
      : booking.cancelUntil ? "Closed: no refund" : null;
    li.dataset.status = booking.status;
    li.setAttribute("aria-labelledby", titleId);
    append(clear(li), [
      h("div", { class: "booking-head" },
        h("h2", { id: titleId }, show ? show.movieTitle : `Show ${booking.showId}`),
        h("span", { class: `status status--${booking.status}`, "data-testid": "booking-status" }, STATUS[booking.status] ?? booking.status)),
      show ? h("p", { class: "where" }, h("strong", null, dateTime(show.startsAt, tz)), ` · ${show.cinemaName}, ${show.city} · ${show.screenName}`) : null,
      h("dl", { class: "facts" },
        h("dt", null, "Seats"), h("dd", { "data-testid": "booking-seats" }, booking.seats.join(", ")),
        h("dt", null, "Amount"), h("dd", null, money(booking.amount, booking.currency)),
        card ? [h("dt", null, "Card"), h("dd", null, `${cardBrand(card.brand)} •••• ${card.last4}`)] : null,
        booking.refund ? [h("dt", null, "Refund"), h("dd", null, `${money(booking.refund.amount, booking.refund.currency)} (${booking.refund.status})`)] : null,
        h("dt", null, "Booking code"), h("dd", null, h("strong", { "data-testid": "booking-code" }, booking.code ?? booking.id)),
        cancelTerms ? [h("dt", null, "Cancellation"), h("dd", { "data-testid": "booking-cancel-terms" }, cancelTerms)] : null),
      booking.reason ? h("p", { class: "muted" }, booking.reason) : null,
      booking.lines?.length ? h("details", null, h("summary", null, "Price breakdown"),
        renderQuote({ currency: booking.currency, total: booking.amount, lines: booking.lines, charges: booking.charges }, { testid: "booking-quote" })) : null,
      h("div", { class: "actions" },
        booking.status === "confirmed" ? h("a", { class: "button button--primary", href: `#/ticket/${encodeURIComponent(booking.id)}`, "data-testid": "view-ticket" }, "View ticket") : null,
        canPay ? h("a", {
          class: "button", href: `#/show/${encodeURIComponent(booking.showId)}`,
          onclick: () => {
            const user = session.user();
            if (user) sessionStorage.setItem(`marquee.hold.${user.id}.${booking.showId}`, JSON.stringify({ holdId: booking.holdId, bookingId: booking.id }));
          },
        }, "Pay now") : null,
        canCancel ? cancelControl() : null),
      // Offered once the ticket was let in or the show has ended; the server decides.
      canReview && booking.status === "confirmed" ? reviewForm(booking.id, show?.movieTitle ?? "the film") : null]);
  }

  function cancelControl() {
    const wrap = h("div", { class: "cancel" });
    const start = h("button", { type: "button", class: "button button--quiet", "data-testid": "cancel-booking" }, "Cancel booking");
    start.addEventListener("click", () => askFirst(wrap, start, {
      question: `Cancel seats ${booking.seats.join(", ")}?`,
      yes: booking.status === "confirmed" ? `Yes, cancel and refund ${money(booking.amount, booking.currency)}` : "Yes, cancel",
      yesTestid: "confirm-cancel", no: "Keep booking", noTestid: "keep-booking",
      async onYes(yes) {
        try {
          const updated = await busy(yes, () => api("POST", `/bookings/${encodeURIComponent(booking.id)}/cancel`, { idempotencyKey: `cancel-${booking.id}` }), "Cancelling…");
          booking = updated;
          render();
          announce(updated.refund ? `Booking cancelled. ${money(updated.refund.amount, updated.refund.currency)} will be refunded to your card.` : "Booking cancelled.");
          li.querySelector("h2").setAttribute("tabindex", "-1");
          li.querySelector("h2").focus();
        } catch (err) {
          showError(describeError(err));
        }
      },
    }));
    wrap.append(start);
    return wrap;
  }
}
