// Validation errors name the field and the rule broken, never the value refused (it is logged).
import test from "ava";
import { QuietValidator } from "../../infra/quiet-validator.ts";

test("a refused parameter's error names the field and rule but not the value sent", async (t) => {
  const validator = new QuietValidator();
  const check = validator.compile({ paymentMethod: "string", seats: { type: "array", items: "string" } });
  const problems = check({ paymentMethod: 4242424242424242, seats: ["A1", 4000002500003155] }) as unknown as Record<string, unknown>[];
  t.deepEqual(problems.map((p) => [p.field, p.type]), [["paymentMethod", "string"], ["seats[1]", "string"]]);
  t.false(JSON.stringify(problems).includes("4242424242424242"));
  t.false(JSON.stringify(problems).includes("4000002500003155"));
  t.true(check({ paymentMethod: "pm_card_visa", seats: ["A1"] }) as boolean);
});

test("an asynchronous schema's errors leave the value out too", async (t) => {
  const check = new QuietValidator().compile({ $$async: true, note: { type: "string", custom: async (v: unknown) => v } });
  t.true(check.async);
  const problems = (await check({ note: 4242424242424242 })) as unknown as Record<string, unknown>[];
  t.is(problems[0]!.field, "note");
  t.false(JSON.stringify(problems).includes("4242424242424242"));
});
