// Email addresses as accounts are keyed by: one canonical form per address, and a skeleton
// under which addresses a person would read as the same collide. Pure: no I/O.
//
// The skeleton follows Unicode TR #39 (section 4, "Confusable Detection") in spirit, with a
// small table instead of the full confusables.txt: compatibility forms folded (NFKD),
// accents dropped, and the Cyrillic and Greek letters that look like Latin ones mapped to
// them, so "аdmin@marquee.local" with a Cyrillic "а" cannot sit beside the admin's address.

export type EmailCheck = { ok: true; email: string } | { ok: false; code: "INVALID_EMAIL"; message: string };

// C0 and C1 controls, DEL, and the invisible format characters (zero-width space and joiners,
// bidi overrides, the BOM) that make two addresses look alike or text render out of order.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/u;

/** NFKC, trimmed, lower-cased; refuses control and invisible characters. */
export function canonicalEmail(raw: string): EmailCheck {
  if (INVISIBLE.test(raw)) return { ok: false, code: "INVALID_EMAIL", message: "An email address cannot contain control or invisible characters" };
  const email = raw.normalize("NFKC").trim().toLowerCase();
  const at = email.lastIndexOf("@");
  if (at < 1 || at === email.length - 1 || /\s/u.test(email)) return { ok: false, code: "INVALID_EMAIL", message: "That is not an email address" };
  return { ok: true, email };
}

// Lower-case letters only (skeletons are taken of lower-cased text), and only those a reader
// would take for the Latin letter: a loose table would refuse genuine Cyrillic addresses.
const LOOKALIKES: Readonly<Record<string, string>> = {
  // Cyrillic
  "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "н": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "ӏ": "l",
  "м": "m", "о": "o", "р": "p", "ԛ": "q", "ѕ": "s", "т": "t", "ѵ": "v", "ԝ": "w", "х": "x", "у": "y", "ү": "y",
  "ԁ": "d", "ɡ": "g", "с": "c",
  // Greek
  "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
  "γ": "y", "ω": "w", "ϲ": "c", "ϳ": "j",
  // Latin look-alikes outside ASCII
  "ı": "i", "ȷ": "j", "ℓ": "l", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ħ": "h", "ł": "l",
};

/** The form under which confusable addresses collide: equal skeletons, same-looking addresses. */
export function emailSkeleton(email: string): string {
  const folded = email.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  let skeleton = "";
  for (const char of folded) skeleton += LOOKALIKES[char] ?? char;
  return skeleton;
}
