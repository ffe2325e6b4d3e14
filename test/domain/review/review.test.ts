// Who may review, what a review may say, and how ratings add up.
import test from "ava";
import { authorName, checkReview, mayReview, summarise, type Review } from "../../../domain/review/review.ts";

const ENDS = Date.UTC(2030, 0, 1, 20, 0);

test("a paid booking is reviewable once admitted or once the show has ended", (t) => {
  t.deepEqual(mayReview({ status: "confirmed", endsAt: ENDS, admitted: true }, ENDS - 3_600_000), { ok: true });
  t.deepEqual(mayReview({ status: "confirmed", endsAt: ENDS, admitted: false }, ENDS), { ok: true });
  t.like(mayReview({ status: "confirmed", endsAt: ENDS, admitted: false }, ENDS - 1), { ok: false, rejection: { code: "NOT_ATTENDED" } });
});

test("cancelled, refunded and unpaid bookings are never reviewable, even after the show", (t) => {
  for (const status of ["cancelled", "refunded", "pending_payment", "payment_failed", "expired"]) {
    t.like(mayReview({ status, endsAt: ENDS, admitted: false }, ENDS + 1), { ok: false, rejection: { code: "NOT_ATTENDED" } }, status);
  }
});

test("a rating is a whole number of stars from 1 to 5 and the text is trimmed and bounded", (t) => {
  t.deepEqual(checkReview({ rating: 5, text: "  Loved it  " }), { ok: true, rating: 5, text: "Loved it" });
  t.deepEqual(checkReview({ rating: 1 }), { ok: true, rating: 1, text: "" });
  for (const rating of [0, 6, 4.5, "5", null]) t.like(checkReview({ rating }), { ok: false, rejection: { field: "rating" } });
  t.like(checkReview({ rating: 3, text: "x".repeat(1_001) }), { ok: false, rejection: { field: "text" } });
});

test("the average counts only visible reviews, to one decimal", (t) => {
  const r = (rating: number, hidden = false): Review => ({
    id: `b${rating}${hidden}`, bookingId: "b", movieId: "m", showId: "s", userId: "u", author: "A", rating, text: "", createdAt: "",
    ...(hidden ? { hidden: { by: "admin", at: "", reason: "abuse" } } : {}),
  });
  t.deepEqual(summarise([]), { average: null, count: 0 });
  t.deepEqual(summarise([r(5), r(4), r(4)]), { average: 4.3, count: 3 });
  t.deepEqual(summarise([r(5), r(1, true)]), { average: 5, count: 1 });
});

test("a review shows the author's first name only", (t) => {
  t.is(authorName("Meera Iyer"), "Meera");
  t.is(authorName("   "), "A moviegoer");
});
