import test from "ava";
import { MemoryStore } from "../../infra/memory-store.ts";
import { openIntent, type Context, type PaymentRecord } from "../../processor/intents.ts";
import { COLLECTIONS, Ledger } from "../../processor/ledger.ts";

const ctx: Context = { now: Date.UTC(2026, 11, 1) / 1000, newId: (prefix) => `${prefix}_1`, publicUrl: "http://processor.test" };

test("a payment whose writer died after its first version but before its current copy is still found", async (t) => {
  const store = new MemoryStore();
  const record = openIntent({ amount: "1000", currency: "eur" }, null, ctx) as PaymentRecord;
  // What a store that froze mid-open leaves behind: the version, not the current document.
  await store.putIfAbsent(COLLECTIONS.versions, `${record.intent.id}:1`, record);
  const ledger = new Ledger(store);
  t.is((await ledger.load(record.intent.id))?.intent.id, record.intent.id);
  t.false(await ledger.open(record), "opening it again under the same key finds it instead");
});
