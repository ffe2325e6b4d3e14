import test from "ava";
import { newCatalogId, newHoldId, newId, showOfHold } from "../../services/ids.ts";

test("ids say what they name and never repeat", (t) => {
  const ids = new Set(Array.from({ length: 1000 }, () => newId("bkg")));
  t.is(ids.size, 1000);
  for (const id of ids) t.regex(id, /^bkg_[0-9a-f]{32}$/);
});

test("catalog ids are short, say what they name and do not repeat", (t) => {
  const ids = new Set(Array.from({ length: 1000 }, () => newCatalogId("screen")));
  t.is(ids.size, 1000);
  for (const id of ids) t.regex(id, /^screen-[0-9a-f]{12}$/);
});

test("a hold id names its show, whatever the show id looks like, and nothing else is taken for one", (t) => {
  for (const showId of ["show-iph-gold-20261125-2030", "show-scr_0a1b.x-20300101-0900", "s"]) {
    const holdId = newHoldId(showId);
    t.is(showOfHold(holdId), showId);
    t.not(newHoldId(showId), holdId);
  }
  for (const notAHold of ["", "hold_", "hold_abc.show-1", `hold_${"0".repeat(32)}.`, `bkg_${"0".repeat(32)}.show-1`, `hold_${"g".repeat(32)}.show-1`]) {
    t.is(showOfHold(notAHold), undefined, notAHold);
  }
});
