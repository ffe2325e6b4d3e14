// One show: the live seat map (server-sent events), the selection with a price estimate, the
// hold with its countdown and locked quote, and payment.
import { api, describeError, newKey, sawServerTime, serverNow, session } from "../api.js";
import { append, busy, clear, formError, h } from "../dom.js";
import { cardBrand, clock, countdown, dateTime, duration, money } from "../format.js";
import { renderQuote } from "../quote.js";
import { createSeatMap, seatLegend } from "../seatmap.js";
import { announce, askFirst, navigate, setTitle, showError } from "../ui.js";
import { queuePassFor } from "./queue.js";

const MAX_SEATS = 10;
const STATUS_WORDS = { held: "held by someone else", booked: "already booked", not_for_sale: "not for sale" };
const list = (seats) => (seats.length > 1 ? `${seats.slice(0, -1).join(", ")} and ${seats.at(-1)}` : seats[0] ?? "");

export async function showView(main, { params, active, onLeave }) {
  const showId = params.id;
  setTitle("Choose seats");
  main.append(h("p", { class: "loading" }, "Loading the seat map…"));
  let show;
  try {
    show = await api("GET", `/shows/${encodeURIComponent(showId)}`);
  } catch (err) {
    if (!active()) return;
    clear(main).append(
      h("h1", { tabindex: "-1" }, err.status === 404 ? "Show not found" : "The seat map could not be loaded"),
      h("p", null, describeError(err)),
      h("p", null, h("a", { href: "#/" }, "Back to movies")));
    return;
  }
  if (!active()) return;

  const user = session.user();
  const tz = show.cinema.timezone;
  const currency = show.currency;
  const savedKey = user ? `marquee.hold.${user.id}.${showId}` : null;
  const pickKey = `marquee.pick.${showId}`;
  const st = {
    version: show.version ?? 0,
    selected: new Set(),
    /** Seats of a hold request in flight: their "held" arriving first is not someone else's. */
    pending: new Set(),
    hold: null,
    bookingId: null,
    es: null,
    timers: new Set(),
  };
  const later = (fn, ms) => {
    const t = setTimeout(() => { st.timers.delete(t); fn(); }, ms);
    st.timers.add(t);
    return t;
  };
  const started = () => Date.parse(show.startsAt) <= serverNow();
  const isMine = (id) => !!st.hold && st.hold.seats.includes(id);
  /** Seats of this show the customer has booked (confirmed), shown apart from everyone else's. */
  const yours = new Set(show.yourSeats ?? []);

  setTitle(`${show.movie.title}: choose seats`);
  const map = createSeatMap(show.seats, {
    currency,
    isSelected: (id) => st.selected.has(id),
    isMine,
    isYours: (id) => yours.has(id),
    onToggle: toggle,
    label: `Seats of ${show.screen.name}, screen at the front`,
  });

  // ---------- page ----------
  const liveText = h("span", null, "Connecting to live seat updates…");
  const live = h("p", { class: "live", "data-testid": "live-status", "data-state": "connecting" }, h("span", { class: "dot", "aria-hidden": "true" }), liveText);
  const selectionSlot = h("section", { class: "panel-section", "aria-labelledby": "sel-title", "data-testid": "selection" });
  const estimateSlot = h("div", { class: "estimate" });
  const holdSlot = h("section", { class: "panel-section", "data-testid": "hold-panel", hidden: true });
  const doneSlot = h("section", { class: "panel-section", "data-testid": "booking-confirmation", hidden: true });
  const bar = h("div", { class: "action-bar", "data-testid": "action-bar", role: "region", "aria-label": "Your seats and next step" });
  document.body.classList.add("with-action-bar");

  append(clear(main), [
    h("div", { class: "show-head" },
      h("p", { class: "crumbs" }, h("a", { href: "#/" }, "Movies"), " / ", show.cinema.city),
      h("h1", { tabindex: "-1" }, show.movie.title),
      h("p", { class: "meta" },
        h("span", { class: "badge", title: "Certificate" }, show.movie.rating), ` ${duration(show.movie.durationMinutes)} · ${show.movie.languages.join(", ")}`),
      h("p", { class: "where" }, h("strong", null, dateTime(show.startsAt, tz)), ` · ${show.cinema.name}, ${show.cinema.city} · ${show.screen.name}`),
      live),
    started() ? h("p", { class: "notice", role: "note" }, "This show has started: booking is closed.") : null,
    h("div", { class: "show-layout" },
      h("div", { class: "map-column" }, seatLegend(), map.el),
      h("aside", { class: "panel", "aria-label": "Your booking" }, doneSlot, holdSlot, selectionSlot)),
    bar]);

  // ---------- selection ----------
  function renderSelection() {
    const ids = map.order(st.selected);
    const held = st.hold?.seats ?? [];
    const same = st.hold && ids.length === held.length && ids.every((id) => held.includes(id));
    const children = [h("h2", { id: "sel-title" }, st.hold ? "Change seats" : "Your seats")];
    if (!ids.length) {
      children.push(h("p", { class: "muted", "data-testid": "selection-empty" }, st.hold ? "Select seats on the map to change your hold, or release it above." : `No seats selected yet. Choose up to ${MAX_SEATS} seats on the map.`));
    } else {
      children.push(h("ul", { class: "chosen", "data-testid": "selected-seats" }, ids.map((id) => {
        const s = map.seat(id);
        return h("li", null, h("strong", null, id), ` · ${s.category}`, h("span", { class: "num" }, money(s.price, currency)));
      })));
    }
    if (st.hold && same) {
      children.push(h("p", { class: "muted" }, "These are the seats held for you. Select or deselect seats on the map to change them."));
    } else if (ids.length) {
      children.push(estimateSlot);
      if (!user) {
        // The selection waits in this tab while the customer logs in.
        const keep = () => sessionStorage.setItem(pickKey, JSON.stringify(ids));
        children.push(h("p", null, h("a", { class: "button", href: `#/login?next=${encodeURIComponent(`#/show/${showId}`)}`, onclick: keep, "data-testid": "login-to-hold" }, "Log in to hold these seats")));
      } else {
        const button = h("button", { type: "button", class: "button button--primary", "data-testid": "hold-button", disabled: started() },
          st.hold ? `Hold these ${ids.length} instead` : `Hold ${ids.length} seat${ids.length === 1 ? "" : "s"}`);
        button.addEventListener("click", () => hold(button));
        const stranded = map.orphansLeft(ids);
        // A warning, not a refusal: the customer may know the seat will go to a friend.
        if (stranded.length) children.push(h("p", { class: "notice", "data-testid": "orphan-warning" }, `These seats leave ${list(stranded)} on ${stranded.length === 1 ? "its" : "their"} own, which few people book. Shifting your group by a seat avoids that.`));
        children.push(h("div", { class: "actions" }, button));
      }
    }
    if (user && !started() && !(st.hold && same && ids.length)) children.push(bestForm());
    selectionSlot.replaceChildren(...children);
    renderBar();
  }

  /** "Best available N": the server picks seats side by side in the best rows and holds them. */
  function bestForm() {
    const categories = [...new Set(map.seats().filter((s) => s.status !== "not_for_sale" && s.price != null).map((s) => s.category))];
    const count = h("select", { name: "count", "data-testid": "best-count", "aria-label": "How many seats" },
      Array.from({ length: MAX_SEATS }, (_, i) => h("option", { value: String(i + 1) }, String(i + 1))));
    count.value = String(Math.max(1, Math.min(MAX_SEATS, st.selected.size || 2)));
    const category = h("select", { name: "category", "data-testid": "best-category", "aria-label": "Seat category" }, categories.map((c) => {
      const price = map.seats().find((s) => s.category === c && s.price != null)?.price;
      return h("option", { value: c }, `${c}${price != null ? ` · ${money(price, currency)}` : ""}`);
    }));
    const go = h("button", { type: "submit", class: "button", "data-testid": "best-button" }, "Pick best seats");
    const form = h("form", { class: "best-form", "data-testid": "best-form", "aria-labelledby": "best-title" },
      h("h3", { id: "best-title" }, "Or let us pick"),
      h("div", { class: "best-row" }, count, category, go),
      h("p", { class: "hint" }, "Seats side by side in the best rows, nearest the middle."));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      hold(go, { category: category.value, count: Number(count.value) });
    });
    return form;
  }

  // ---------- the phone's action bar: seats, total, countdown, the one next step ----------
  function renderBar() {
    const ids = map.order(st.selected);
    const held = st.hold?.seats ?? [];
    const same = !!st.hold && ids.length === held.length && ids.every((id) => held.includes(id));
    st.barTimer = null;
    if (!doneSlot.hidden && !st.hold && !ids.length) {
      bar.replaceChildren(h("div", { class: "bar-summary" }, h("span", { class: "bar-seats" }, "Booking confirmed")),
        h("a", { class: "button button--primary", href: `#/ticket/${encodeURIComponent(doneSlot.dataset.bookingId ?? "")}`, "data-testid": "bar-ticket" }, "View ticket"));
      return;
    }
    if (!ids.length) {
      const pick = h("button", { type: "button", class: "button", "data-testid": "bar-best" }, "Pick for me");
      pick.addEventListener("click", () => {
        const form = selectionSlot.querySelector("[data-testid=best-form]");
        form?.scrollIntoView({ block: "center", behavior: "smooth" });
        form?.querySelector("select")?.focus({ preventScroll: true });
      });
      bar.replaceChildren(h("div", { class: "bar-summary" }, h("span", { class: "bar-seats" }, `Choose up to ${MAX_SEATS} seats`), h("span", { class: "muted" }, "Tap the seats you want")),
        user && !started() ? pick : null);
      return;
    }
    const summary = h("div", { class: "bar-summary" }, h("span", { class: "bar-seats", "data-testid": "bar-seats" }, list(ids)));
    if (same) {
      const timer = h("span", { class: "bar-timer", role: "timer", "aria-label": "Time left to pay" }, countdown(Date.parse(st.hold.expiresAt) - serverNow()));
      st.barTimer = timer;
      summary.append(h("span", null, h("span", { class: "bar-total", "data-testid": "bar-total" }, money(st.hold.quote.total, currency)), " · ", timer, " left"));
      const pay = h("button", { type: "button", class: "button button--primary", "data-testid": "bar-pay" }, "Pay");
      pay.addEventListener("click", goPay);
      bar.replaceChildren(summary, pay);
      return;
    }
    const total = st.estimate && ids.every((id) => id in (st.estimate.seatPrices ?? {})) && Object.keys(st.estimate.seatPrices).length === ids.length ? money(st.estimate.total, currency) : "…";
    summary.append(h("span", null, h("span", { class: "bar-total", "data-testid": "bar-total" }, total), h("span", { class: "muted" }, " incl. GST and fees")));
    const action = !user
      ? h("a", { class: "button button--primary", href: `#/login?next=${encodeURIComponent(`#/show/${showId}`)}`, onclick: () => sessionStorage.setItem(pickKey, JSON.stringify(ids)) }, "Log in")
      : h("button", { type: "button", class: "button button--primary", "data-testid": "bar-hold", disabled: started() }, st.hold ? "Hold instead" : `Hold ${ids.length}`);
    if (user) action.addEventListener("click", () => hold(action));
    bar.replaceChildren(summary, action);
  }

  /** The bar's Pay: the same as the form's, which opens the card processor's page. */
  function goPay() {
    holdSlot.querySelector("form.payment")?.requestSubmit();
  }

  let estimateAbort = null;
  let estimateTimer = null;
  function scheduleEstimate() {
    clearTimeout(estimateTimer);
    estimateAbort?.abort();
    const ids = map.order(st.selected);
    st.estimate = null;
    if (!ids.length) {
      estimateSlot.replaceChildren();
      return;
    }
    estimateSlot.setAttribute("aria-busy", "true");
    estimateTimer = later(async () => {
      const controller = (estimateAbort = new AbortController());
      try {
        const quote = await api("GET", `/shows/${encodeURIComponent(showId)}/quote?seats=${encodeURIComponent(ids.join(","))}`, { signal: controller.signal });
        if (controller.signal.aborted) return;
        st.estimate = quote;
        renderBar();
        estimateSlot.replaceChildren(renderQuote(quote, { testid: "quote-estimate", order: map.order, caption: "Price estimate. Holding the seats locks the price." }));
      } catch (err) {
        if (err?.name === "AbortError") return;
        estimateSlot.replaceChildren(h("p", { class: "muted" }, `No estimate: ${describeError(err)}`));
      } finally {
        if (estimateAbort === controller) estimateSlot.removeAttribute("aria-busy");
      }
    }, 200);
  }

  function toggle(seat) {
    if (!seat) return;
    const mine = isMine(seat.id);
    if (seat.status !== "available" && !mine) {
      announce(`Row ${seat.row} seat ${seat.number} is ${STATUS_WORDS[seat.status] ?? seat.status}: choose another seat.`);
      return;
    }
    if (st.selected.has(seat.id)) {
      st.selected.delete(seat.id);
    } else {
      if (st.selected.size >= MAX_SEATS) {
        showError(`You can hold at most ${MAX_SEATS} seats at a time. Deselect a seat first.`);
        return;
      }
      st.selected.add(seat.id);
    }
    map.update(seat.id);
    renderSelection();
    scheduleEstimate();
  }

  // ---------- hold ----------
  /** Holds the selection, or with `best` ({category, count}) the best seats the server picks. */
  async function hold(button, best) {
    const seats = best ? [] : map.order(st.selected);
    const previous = st.hold;
    seats.forEach((s) => st.pending.add(s));
    try {
      const created = await busy(button, () => api("POST", `/shows/${encodeURIComponent(showId)}/holds`, { body: { ...(best ? { best } : { seats }), ...queuePassFor(showId) }, idempotencyKey: newKey() }), best ? "Finding seats…" : "Holding…");
      if (!active()) return;
      setHold(created, null);
      for (const s of previous?.seats ?? []) if (!created.seats.includes(s)) map.setStatus(s, "available") || map.update(s);
      for (const s of created.seats) map.setStatus(s, "held") || map.update(s);
      announce(`Held ${list(created.seats)} for you until ${clock(created.expiresAt, tz)}. Pay before the timer runs out.`);
      holdSlot.querySelector("h2")?.focus();
    } catch (err) {
      if (!active()) return;
      if (err.type === "QUEUE_PASS_REQUIRED") return navigate(`#/queue/${encodeURIComponent(err.data.onsaleId)}`, { error: describeError(err) });
      if (err.type === "SEAT_UNAVAILABLE" && Array.isArray(err.data?.seats)) {
        for (const { seat, reason } of err.data.seats) {
          if (reason === "held" || reason === "booked" || reason === "not_for_sale") map.setStatus(seat, reason);
          if (!isMine(seat)) st.selected.delete(seat);
          map.update(seat);
        }
        renderSelection();
        scheduleEstimate();
      }
      showError(describeError(err));
    } finally {
      seats.forEach((s) => st.pending.delete(s));
    }
  }

  function save() {
    if (!savedKey) return;
    if (st.hold) sessionStorage.setItem(savedKey, JSON.stringify({ holdId: st.hold.id, bookingId: st.bookingId }));
    else sessionStorage.removeItem(savedKey);
  }

  function setHold(next, bookingId) {
    sawServerTime(Date.parse(next.heldAt ?? ""));
    const before = st.hold?.seats ?? [];
    st.hold = next;
    st.bookingId = bookingId;
    st.selected = new Set(next.seats);
    save();
    doneSlot.hidden = true;
    for (const id of new Set([...before, ...next.seats])) map.update(id);
    renderHold();
    renderSelection();
    scheduleEstimate();
    startTimer();
  }

  function dropHold() {
    const seats = st.hold?.seats ?? [];
    st.hold = null;
    st.bookingId = null;
    st.timerEl = null;
    save();
    holdSlot.hidden = true;
    holdSlot.replaceChildren();
    for (const id of seats) map.update(id);
    renderSelection();
    scheduleEstimate();
  }

  function renderHold() {
    const current = st.hold;
    const timer = h("strong", { role: "timer", "data-testid": "hold-countdown" }, countdown(Date.parse(current.expiresAt) - serverNow()));
    st.timerEl = timer;
    st.warned = new Set();
    const release = h("button", { type: "button", class: "button button--quiet", "data-testid": "release-hold" }, "Release these seats");
    const releaseSlot = h("div", { class: "actions" }, release);
    // Releasing gives the seats to whoever clicks next: it is asked once more, and "keep" is the default.
    release.addEventListener("click", () => askFirst(releaseSlot, release, {
      question: `Release ${list(current.seats)}? Anyone may take them straight away.`,
      yes: "Yes, release them", yesTestid: "confirm-release", no: "Keep my seats", noTestid: "keep-hold", onYes: doRelease,
    }));
    const doRelease = async (button) => {
      try {
        await busy(button, () => api("DELETE", `/holds/${encodeURIComponent(current.id)}`), "Releasing…");
        if (!active()) return;
        for (const s of current.seats) map.setStatus(s, "available");
        st.selected.clear();
        dropHold();
        announce(`Released ${list(current.seats)}.`);
        selectionSlot.querySelector("h2")?.focus();
      } catch (err) {
        showError(describeError(err));
        checkHold();
      }
    };
    holdSlot.replaceChildren(
      h("h2", { tabindex: "-1" }, `Held for you: ${list(current.seats)}`),
      h("p", { class: "countdown" }, "Time left to pay: ", timer, h("span", { class: "muted" }, ` (until ${clock(current.expiresAt, tz)})`)),
      renderQuote(current.quote, { testid: "hold-quote", order: map.order, caption: "Locked price: exactly what you will pay." }),
      cancellationTerms(current.quote),
      releaseSlot,
      paymentForm(current));
    holdSlot.hidden = false;
  }

  /** Until when the booking can be cancelled, and for how much, said before paying. */
  function cancellationTerms(quote) {
    if (!show.cancelUntil) return null;
    const open = Date.parse(show.cancelUntil) > serverNow();
    return h("p", { class: "terms", "data-testid": "cancel-terms" }, open
      ? `Free cancellation until ${dateTime(show.cancelUntil, tz)}: a full refund of ${money(quote.total, currency)}.`
      : "This booking cannot be cancelled: cancelling closed before the show.");
  }

  // ---------- payment ----------
  // The card is typed on the processor's own page, never here: the page makes a payment method
  // there and sends the customer back with its id (?payment_method=pm_...), which is all
  // Marquee is ever given. A card that needs 3-D Secure sends them to its challenge and back
  // (?payment_intent=...), and the booking says how it ended.
  const returnTo = (param, bookingId) => `${location.origin}${location.pathname}?${param}=${encodeURIComponent(bookingId)}#/show/${encodeURIComponent(showId)}`;

  function paymentForm(current) {
    const error = formError("payment-error");
    const pay = h("button", { type: "submit", class: "button button--primary", "data-testid": "pay-button" }, `Pay ${money(current.quote.total, currency)}`);
    const form = h("form", { class: "form payment", "aria-labelledby": "pay-title", novalidate: true },
      h("h3", { id: "pay-title" }, "Pay by card"),
      h("p", { class: "muted" }, "You will enter your card on the card processor's secure page. Marquee never sees your card number."),
      error,
      h("div", { class: "actions" }, pay));

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        await busy(pay, async () => {
          if (!st.bookingId) {
            try {
              const opened = await api("POST", "/bookings", { body: { holdId: current.id }, idempotencyKey: `booking-${current.id}` });
              st.bookingId = opened.id;
            } catch (err) {
              if (err.type !== "BOOKING_EXISTS" || !err.data?.bookingId) throw err;
              st.bookingId = err.data.bookingId;
            }
            save();
          }
          const checkout = await api("GET", "/payments/checkout");
          if (!checkout.pageUrl) throw new Error("This platform takes cards through Stripe's own page, which this web app does not embed yet; pay through the API with a payment method id.");
          const page = new URL(checkout.pageUrl);
          page.search = new URLSearchParams({
            key: checkout.publishableKey, return_url: returnTo("pay", st.bookingId), amount: String(current.quote.total), currency,
            description: `${show.movie.title}: ${list(current.seats)}`,
          }).toString();
          announce("Opening the card processor's page…");
          location.assign(page.href);
        }, "Opening the card page…");
      } catch (err) {
        if (!active()) return;
        error.textContent = describeError(err);
      }
    });
    return form;
  }

  /** The payment form's error line, when the hold (and its form) is on the page. */
  function paymentError(text) {
    const line = holdSlot.querySelector("[data-testid=payment-error]");
    if (line) line.textContent = text;
    else showError(text);
  }

  /** Back from the card page with a payment method: pay the booking with it. */
  async function payWith(bookingId, paymentMethod) {
    announce("Paying…");
    try {
      const booking = await api("POST", `/bookings/${encodeURIComponent(bookingId)}/pay`, {
        body: { paymentMethod, returnUrl: returnTo("paid", bookingId) },
        // The same payment method is the same payment: a reload never pays twice.
        idempotencyKey: `pay-${bookingId}-${paymentMethod}`,
      });
      if (!active()) return;
      if (booking.status === "requires_action" && booking.payment?.nextAction?.url) {
        announce("Your bank asks you to confirm this payment…");
        location.assign(booking.payment.nextAction.url);
        return;
      }
      confirmed(booking);
    } catch (err) {
      if (!active()) return;
      if (err.status === 410) {
        expired(err.message);
        return;
      }
      const reason = err.data?.reason;
      paymentError(err.status === 402 ? `${err.message}${reason ? ` (${reason})` : ""}. Your seats stay held until the timer runs out.` : describeError(err));
      checkHold();
    }
  }

  /** Back from the bank's challenge: the booking says how it ended, as soon as the processor has told Marquee. */
  async function awaitOutcome(bookingId) {
    announce("Checking your payment…");
    for (let i = 0; i < 60 && active(); i++) {
      let booking;
      try {
        booking = await api("GET", `/bookings/${encodeURIComponent(bookingId)}`);
      } catch (err) {
        paymentError(describeError(err));
        return;
      }
      if (booking.status === "confirmed") {
        confirmed(booking);
        return;
      }
      if (booking.status === "payment_failed") {
        const code = booking.payment?.failureCode;
        paymentError(`Payment failed: ${booking.reason ?? "the bank refused it"}${code ? ` (${code})` : ""}. Your seats stay held until the timer runs out.`);
        checkHold();
        return;
      }
      if (booking.status !== "requires_action" && !booking.paymentInProgress) {
        paymentError(booking.reason ?? `The booking is ${booking.status}.`);
        return;
      }
      await new Promise((resolve) => later(resolve, 500));
    }
  }

  function confirmed(booking) {
    stopTimer();
    for (const s of booking.seats) {
      yours.add(s);
      map.setStatus(s, "booked");
    }
    st.selected.clear();
    dropHold();
    const card = booking.payment?.card;
    const heading = h("h2", { tabindex: "-1" }, "Booking confirmed");
    doneSlot.replaceChildren(
      heading,
      h("p", null, `Seats ${list(booking.seats)} for ${show.movie.title}, ${dateTime(show.startsAt, tz)} at ${show.cinema.name} (${show.screen.name}).`),
      h("p", null, `Paid ${money(booking.amount, booking.currency)}${card ? ` with ${cardBrand(card.brand)} •••• ${card.last4}` : ""}.`),
      h("p", { class: "actions" },
        h("a", { class: "button button--primary", href: `#/ticket/${encodeURIComponent(booking.id)}`, "data-testid": "go-ticket" }, "View ticket"),
        h("a", { class: "button", href: "#/bookings", "data-testid": "go-bookings" }, "See my bookings")));
    doneSlot.dataset.bookingId = booking.id;
    doneSlot.hidden = false;
    renderBar();
    announce(`Booking confirmed: ${list(booking.seats)}, paid ${money(booking.amount, booking.currency)}.`);
    heading.focus();
  }

  function expired(message) {
    const seats = st.hold?.seats ?? [];
    stopTimer();
    dropHold();
    // The seats stay selected, so holding them again is one click; any someone else has taken
    // since are dropped from the selection (with a message) as the live feed reports them.
    st.selected = new Set(seats.filter((s) => ["available", "held"].includes(map.seat(s)?.status)));
    for (const s of seats) if (map.seat(s)?.status === "held") map.setStatus(s, "available");
    for (const s of seats) map.update(s);
    renderSelection();
    scheduleEstimate();
    showError(message
      ? `${message} (seats ${list(seats)}).`
      : `Your hold on ${list(seats)} expired and the seats were released. They are still selected: hold them again if they are still free.`);
  }

  // ---------- countdown and hold checks ----------
  function startTimer() {
    stopTimer();
    st.interval = setInterval(tick, 500);
    tick();
  }
  function stopTimer() {
    clearInterval(st.interval);
    st.interval = undefined;
  }
  function tick() {
    if (!st.hold || !st.timerEl) return stopTimer();
    const left = Date.parse(st.hold.expiresAt) - serverNow();
    st.timerEl.textContent = countdown(left);
    st.timerEl.parentElement.classList.toggle("urgent", left < 60_000);
    if (st.barTimer) {
      st.barTimer.textContent = countdown(left);
      st.barTimer.classList.toggle("urgent", left < 60_000);
    }
    for (const mark of [120_000, 60_000]) {
      if (left <= mark && left > mark - 5_000 && !st.warned.has(mark)) {
        st.warned.add(mark);
        announce(`${mark / 60_000} minute${mark > 60_000 ? "s" : ""} left to pay for ${list(st.hold.seats)}.`, { background: true });
      }
    }
    if (left <= 0) checkHold();
  }

  let checking = false;
  let nextCheck = 0;
  async function checkHold() {
    if (!st.hold || checking || Date.now() < nextCheck) return;
    checking = true;
    nextCheck = Date.now() + 1_000;
    const current = st.hold;
    try {
      const fresh = await api("GET", `/holds/${encodeURIComponent(current.id)}`);
      if (!active() || st.hold !== current) return;
      if (fresh.status === "active" || fresh.status === "paying") {
        st.hold = { ...current, ...fresh, quote: fresh.quote ?? current.quote };
      } else if (fresh.status === "expired") {
        expired();
      } else if (fresh.status === "booked" && st.bookingId) {
        confirmed(await api("GET", `/bookings/${encodeURIComponent(st.bookingId)}`));
      } else {
        dropHold();
        showError(`Your hold on ${list(current.seats)} was ${fresh.status}.`);
      }
    } catch (err) {
      if (err.status === 404 && st.hold === current) dropHold();
    } finally {
      checking = false;
    }
  }

  // ---------- live seat map ----------
  function applySeats(changes) {
    const taken = [];
    let mineFreed = false;
    for (const [id, status] of Object.entries(changes)) {
      if (!map.has(id) || !map.setStatus(id, status)) continue;
      if (isMine(id)) {
        if (status === "available") mineFreed = true;
        continue;
      }
      if (st.selected.has(id) && status !== "available" && !st.pending.has(id)) {
        st.selected.delete(id);
        map.update(id);
        taken.push(id);
      }
    }
    if (taken.length) {
      renderSelection();
      scheduleEstimate();
      showError(`${list(taken)} ${taken.length === 1 ? "was" : "were"} just taken by someone else and removed from your selection.`);
    }
    if (mineFreed) later(checkHold, 300);
  }

  function setLive(state) {
    live.dataset.state = state;
    liveText.textContent = {
      live: "Live: seats update as other people book",
      reconnecting: "Reconnecting to live seat updates…",
      closed: "Live updates interrupted: retrying…",
    }[state];
  }

  let retryMs = 1_000;
  function connect() {
    const resume = st.version ? `?lastEventId=${st.version}` : "";
    const es = new EventSource(`/api/shows/${encodeURIComponent(showId)}/events${resume}`);
    st.es = es;
    const parse = (e) => {
      try { return JSON.parse(e.data); } catch { return null; }
    };
    es.addEventListener("snapshot", (e) => {
      const d = parse(e);
      if (!d || d.version < st.version) return;
      st.version = d.version;
      applySeats(d.seats);
      setLive("live");
    });
    es.addEventListener("seats", (e) => {
      const d = parse(e);
      if (!d || d.version <= st.version) return;
      st.version = d.version;
      applySeats(d.seats);
    });
    es.addEventListener("prices", () => refreshPrices());
    es.onopen = () => {
      retryMs = 1_000;
      setLive("live");
    };
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) {
        setLive("reconnecting");
        return;
      }
      // The browser gives up after an error answer (a node moving, say): try again, resuming.
      setLive("closed");
      later(() => { if (st.es === es) connect(); }, retryMs);
      retryMs = Math.min(retryMs * 2, 30_000);
    };
  }

  async function refreshPrices() {
    try {
      const fresh = await api("GET", `/shows/${encodeURIComponent(showId)}`);
      if (!active()) return;
      for (const s of fresh.seats) if (map.has(s.id)) map.setPrice(s.id, s.price);
      if (st.selected.size) {
        renderSelection();
        scheduleEstimate();
        if (!st.hold) announce("Prices for this show just changed; the estimate is updated.", { background: true });
      }
    } catch {
      // The next change tries again.
    }
  }

  onLeave(() => {
    document.body.classList.remove("with-action-bar");
    st.es?.close();
    st.es = null;
    stopTimer();
    estimateAbort?.abort();
    for (const t of st.timers) clearTimeout(t);
  });

  // ---------- start ----------
  try {
    const picked = JSON.parse(sessionStorage.getItem(pickKey) ?? "[]");
    sessionStorage.removeItem(pickKey);
    for (const id of Array.isArray(picked) ? picked.slice(0, MAX_SEATS) : []) {
      if (map.seat(id)?.status === "available") {
        st.selected.add(id);
        map.update(id);
      }
    }
  } catch {
    // Nothing kept.
  }
  renderSelection();
  scheduleEstimate();
  connect();
  if (savedKey) {
    const saved = (() => {
      try { return JSON.parse(sessionStorage.getItem(savedKey) ?? "null"); } catch { return null; }
    })();
    if (saved?.holdId) {
      try {
        const restored = await api("GET", `/holds/${encodeURIComponent(saved.holdId)}`);
        if (!active()) return;
        if ((restored.status === "active" || restored.status === "paying") && restored.quote) setHold(restored, saved.bookingId ?? null);
        else sessionStorage.removeItem(savedKey);
      } catch {
        sessionStorage.removeItem(savedKey);
      }
    }
  }
  // Back from the processor: its answer is in the query, read once and then taken off the address.
  const back = new URLSearchParams(location.search);
  if (back.has("pay") || back.has("paid")) history.replaceState(null, "", `${location.pathname}${location.hash}`);
  if (user && back.get("pay") && back.get("payment_method")) await payWith(back.get("pay"), back.get("payment_method"));
  else if (user && back.get("paid")) await awaitOutcome(back.get("paid"));
}
