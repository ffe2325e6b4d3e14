// Reviews in the web app: the customer's rating form on a booking they attended, and the
// admins' moderation list (hide or show again, with a reason; every change is audited).
import { api, describeError } from "../api.js";
import { catalog } from "../catalog.js";
import { busy, formError, h } from "../dom.js";
import { dateTime } from "../format.js";
import { announce, setTitle, showError } from "../ui.js";

/** "★ 4.3 · 12 reviews" for a film's card. */
export const ratingText = (summary) =>
  summary?.count ? `★ ${summary.average.toFixed(1)} · ${summary.count} review${summary.count === 1 ? "" : "s"}` : null;

/** 1-5 stars and an optional text, for one booking; replaced by a thank-you once sent. */
export function reviewForm(bookingId, movieTitle) {
  const name = `stars-${bookingId}`;
  const stars = h("fieldset", { class: "stars" }, h("legend", null, `Rate ${movieTitle}`),
    [1, 2, 3, 4, 5].map((n) => h("label", { class: "star" },
      h("input", { type: "radio", name, value: String(n), "data-testid": `review-star-${n}` }),
      h("span", { "aria-hidden": "true" }, "★"), h("span", { class: "visually-hidden" }, `${n} star${n === 1 ? "" : "s"}`))));
  const text = h("textarea", { name: "text", maxlength: "1000", "data-testid": "review-text", "aria-label": "Your review (optional)", placeholder: "What did you think? (optional)" });
  const error = formError("review-error");
  const send = h("button", { type: "submit", class: "button", "data-testid": "review-submit" }, "Send rating");
  const form = h("form", { class: "form review-form", "data-testid": "review-form", novalidate: true }, stars, text, error, h("div", { class: "actions" }, send));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.textContent = "";
    const picked = form.querySelector(`input[name="${name}"]:checked`);
    if (!picked) {
      error.textContent = "Choose 1 to 5 stars.";
      return;
    }
    try {
      const review = await busy(send, () => api("POST", `/bookings/${encodeURIComponent(bookingId)}/review`, { body: { rating: Number(picked.value), text: text.value } }), "Sending…");
      form.replaceWith(h("p", { class: "success", "data-testid": "review-thanks" }, `Thank you: you rated ${movieTitle} ${review.rating} out of 5.`));
      announce(`Thank you for rating ${movieTitle}.`);
    } catch (err) {
      error.textContent = describeError(err);
    }
  });
  return form;
}

/** Admin: every review, newest first, with hide and show-again (a reason each time). */
export async function reviewsAdmin(main) {
  setTitle("Reviews");
  main.append(h("h1", { tabindex: "-1" }, "Reviews"));
  const list = h("ul", { class: "bookings", "data-testid": "admin-reviews" });
  main.append(list);
  let reviews;
  let cat;
  try {
    [reviews, cat] = await Promise.all([api("GET", "/admin/reviews"), catalog()]);
  } catch (err) {
    showError(describeError(err));
    return;
  }
  if (!reviews.length) list.replaceWith(h("p", null, "No reviews yet."));
  for (const r of reviews) list.append(item(r));

  function item(review) {
    const li = h("li", { class: "card", "data-testid": "admin-review", "data-review-id": review.id, "data-hidden": String(!!review.hidden) });
    const draw = () => {
      const reason = h("input", { name: "reason", maxlength: "200", required: true, "aria-label": "Reason", placeholder: "Reason (kept in the audit log)" });
      const act = h("button", { type: "button", class: `button ${review.hidden ? "" : "button--danger"}`, "data-testid": review.hidden ? "review-unhide" : "review-hide" }, review.hidden ? "Show again" : "Hide");
      act.addEventListener("click", async () => {
        if (!reason.value.trim()) {
          reason.focus();
          showError("Give a reason: it goes into the audit log.");
          return;
        }
        try {
          review = await busy(act, () => api("POST", `/admin/reviews/${encodeURIComponent(review.id)}/${review.hidden ? "unhide" : "hide"}`, { body: { reason: reason.value.trim() } }));
          draw();
          announce(review.hidden ? "Review hidden." : "Review shown again.");
        } catch (err) {
          showError(describeError(err));
        }
      });
      li.dataset.hidden = String(!!review.hidden);
      li.replaceChildren(
        h("p", null, h("strong", null, "★".repeat(review.rating)), ` ${review.author} · ${dateTime(review.createdAt, "Asia/Kolkata")} · ${cat.movie.get(review.movieId)?.title ?? review.movieId}`),
        review.text ? h("p", null, review.text) : null,
        review.hidden ? h("p", { class: "muted" }, `Hidden by ${review.hidden.by}: ${review.hidden.reason}`) : null,
        h("div", { class: "actions" }, reason, act));
    };
    draw();
    return li;
  }
}
