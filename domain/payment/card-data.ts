// Card data must never reach Marquee: customers give their card to the processor's own page
// and Marquee handles only the payment method's id. A request that carries a card anyway is
// refused, and the refusal names only where the card was, never the card itself.

/** Names under which clients send card numbers and security codes. */
const CARD_FIELDS = /^(card|cards|card_?number|number|pan|cvc|cvv|cvc2|cvv2|csc|security_?code)$/i;

export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A string that is a full card number as people write one (spaces and dashes allowed). */
export const looksLikeCardNumber = (text: string): boolean => /^[\d\s-]{12,25}$/.test(text) && luhnValid(text.replace(/[\s-]/g, ""));

interface Visit { value: unknown; key?: string | number; parent?: Visit }

const pathOf = (visit: Visit): string => {
  const keys: (string | number)[] = [];
  for (let v: Visit | undefined = visit; v?.key !== undefined; v = v.parent) keys.unshift(v.key);
  return keys.map((k, i) => (typeof k === "number" ? `[${k}]` : i === 0 ? k : `.${k}`)).join("") || "body";
};

/**
 * Where in a request body card data sits ("card", "items[2].note"), or undefined when it has
 * none. Walked without recursion: a hostile body may nest thousands of levels deep.
 */
export function cardDataIn(body: unknown): string | undefined {
  const pending: Visit[] = [{ value: body }];
  while (pending.length) {
    const visit = pending.pop()!;
    const { value } = visit;
    if (typeof value === "string" || typeof value === "number") {
      if (looksLikeCardNumber(String(value))) return pathOf(visit);
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push({ value: value[i], key: i, parent: visit });
    } else if (value && typeof value === "object") {
      const entries = Object.entries(value);
      for (const [key, inner] of entries) {
        if (CARD_FIELDS.test(key) && inner !== undefined && inner !== null && inner !== "") return pathOf({ value: inner, key, parent: visit });
      }
      for (let i = entries.length - 1; i >= 0; i--) pending.push({ value: entries[i]![1], key: entries[i]![0], parent: visit });
    }
  }
  return undefined;
}
