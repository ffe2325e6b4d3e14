// Reviews: only someone who was there rates a film, once per booking; admins hide abuse, and
// hidden reviews count for nothing. Pure rules; the reviews service stores and audits.

export interface Review {
  /** One review per booking: the booking's id is the review's. */
  id: string;
  bookingId: string;
  movieId: string;
  showId: string;
  userId: string;
  /** First name only: enough to be a person, not enough to be found. */
  author: string;
  rating: number;
  text: string;
  createdAt: string;
  hidden?: { by: string; at: string; reason: string };
}

export const MAX_REVIEW_TEXT = 1_000;

export type ReviewRejection =
  | { code: "NOT_ATTENDED"; message: string }
  | { code: "INVALID_REVIEW"; message: string; field: "rating" | "text" };

/** What the reviews need to know about the booking and its show to decide who may review. */
export interface Attendance {
  status: string;
  /** The show's end (epoch ms). */
  endsAt: number;
  admitted: boolean;
}

/**
 * A paid booking may be reviewed once its ticket was let in at the door, or once the show has
 * ended; a cancelled, refunded or unpaid one never: no review from someone who was not there.
 */
export function mayReview(attendance: Attendance, now: number): { ok: true } | { ok: false; rejection: ReviewRejection } {
  if (attendance.status !== "confirmed") return { ok: false, rejection: { code: "NOT_ATTENDED", message: "Only a paid booking that was used can be reviewed" } };
  if (!attendance.admitted && now < attendance.endsAt) {
    return { ok: false, rejection: { code: "NOT_ATTENDED", message: "You can rate the film once you have been let in or the show has ended" } };
  }
  return { ok: true };
}

export function checkReview(input: { rating: unknown; text?: unknown }): { ok: true; rating: number; text: string } | { ok: false; rejection: Extract<ReviewRejection, { code: "INVALID_REVIEW" }> } {
  const { rating } = input;
  if (typeof rating !== "number" || !Number.isInteger(rating) || rating < 1 || rating > 5) {
    return { ok: false, rejection: { code: "INVALID_REVIEW", message: "Rate the film with 1 to 5 stars", field: "rating" } };
  }
  const text = typeof input.text === "string" ? input.text.trim().replace(/\s+\n/g, "\n") : "";
  if (text.length > MAX_REVIEW_TEXT) return { ok: false, rejection: { code: "INVALID_REVIEW", message: `Keep the review under ${MAX_REVIEW_TEXT} characters`, field: "text" } };
  return { ok: true, rating, text };
}

export interface RatingSummary { average: number | null; count: number }

/** The average (one decimal) and count of the visible reviews. */
export function summarise(reviews: readonly Review[]): RatingSummary {
  const visible = reviews.filter((r) => !r.hidden);
  if (!visible.length) return { average: null, count: 0 };
  const sum = visible.reduce((s, r) => s + r.rating, 0);
  return { average: Math.round((sum / visible.length) * 10) / 10, count: visible.length };
}

/** The name shown with a review: the first word of the account's name. */
export const authorName = (name: string): string => name.trim().split(/\s+/)[0] || "A moviegoer";
