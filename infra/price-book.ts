// Where the price book is kept: one document in the store, read by every node that prices
// (pricing.service, and each show node when it starts); changes reach running nodes whole in the
// `pricing.changed` event, so none of them reads the store on a quote.
import { defaultBook, type PriceBook } from "../domain/pricing/book.ts";
import type { FeeRules } from "../domain/pricing/fees.ts";
import type { PriceOverrides } from "../domain/pricing/overrides.ts";
import type { PricingRules } from "../domain/pricing/rules.ts";
import type { Store } from "./store.ts";

export async function loadPriceBook(store: Store): Promise<PriceBook> {
  const book = await store.get<PriceBook>("pricing", "book");
  if (book) return book;
  // Rules saved before there was a book, each in a document of its own.
  const [rules, overrides, fees] = await Promise.all([
    store.get<PricingRules>("pricing", "rules"), store.get<PriceOverrides>("pricing", "overrides"), store.get<FeeRules>("pricing", "fees"),
  ]);
  return { ...defaultBook(), ...(rules ? { rules } : {}), ...(overrides ? { overrides } : {}), ...(fees ? { fees } : {}) };
}

export const savePriceBook = (store: Store, book: PriceBook): Promise<void> => store.put("pricing", "book", book);
