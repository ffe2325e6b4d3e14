import test from "ava";
import { availabilityOf } from "../../../domain/show/availability.ts";

test("a show is filling fast from 70% of its seats taken and sold out when none is left", (t) => {
  t.is(availabilityOf(100, 0), "available");
  t.is(availabilityOf(100, 69), "available");
  t.is(availabilityOf(100, 70), "filling_fast");
  t.is(availabilityOf(100, 99), "filling_fast");
  t.is(availabilityOf(100, 100), "sold_out");
  t.is(availabilityOf(0, 0), "sold_out", "a show with nothing for sale cannot be booked");
});
