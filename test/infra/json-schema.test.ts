import test from "ava";
import { isOptional, paramsSchema, toJsonSchema } from "../../infra/json-schema.ts";

test("a string rule keeps its length limits and pattern, from a RegExp or from JSON", (t) => {
  t.deepEqual(toJsonSchema({ type: "string", min: 1, max: 100 }), { type: "string", minLength: 1, maxLength: 100 });
  t.deepEqual(toJsonSchema({ type: "string", pattern: /^[A-Z]{3}$/ }), { type: "string", pattern: "^[A-Z]{3}$" });
  t.deepEqual(toJsonSchema({ type: "string", length: 3 }), { type: "string", minLength: 3, maxLength: 3 });
  // A rule that crossed the transporter as JSON lost its RegExp: no pattern rather than a wrong one.
  t.deepEqual(toJsonSchema({ type: "string", pattern: {} }), { type: "string" });
  t.deepEqual(toJsonSchema({ type: "email" }), { type: "string", format: "email" });
  t.deepEqual(toJsonSchema({ type: "url", max: 500 }), { type: "string", format: "uri", maxLength: 500 });
});

test("numbers: integer, bounds and positive become JSON Schema keywords", (t) => {
  t.deepEqual(toJsonSchema({ type: "number", integer: true, positive: true, max: 1000, convert: true }), { type: "integer", exclusiveMinimum: 0, maximum: 1000 });
  t.deepEqual(toJsonSchema({ type: "number", min: -90, max: 90 }), { type: "number", minimum: -90, maximum: 90 });
});

test("shorthand strings, enums, records, multi-rules and defaults convert", (t) => {
  t.deepEqual(toJsonSchema("string"), { type: "string" });
  t.deepEqual(toJsonSchema("number|optional|min:1"), { type: "number", minimum: 1 });
  t.deepEqual(toJsonSchema({ type: "enum", values: ["U", "A"] }), { enum: ["U", "A"] });
  t.deepEqual(toJsonSchema({ type: "record", key: { type: "string", max: 30 }, value: { type: "number", integer: true } }), { type: "object", propertyNames: { type: "string", maxLength: 30 }, additionalProperties: { type: "integer" } });
  t.deepEqual(toJsonSchema([{ type: "array", items: "string" }, { type: "string" }]), { anyOf: [{ type: "array", items: { type: "string" } }, { type: "string" }] });
  t.deepEqual(toJsonSchema({ type: "array", items: "string", optional: true, default: [] }), { type: "array", items: { type: "string" }, default: [] });
  t.deepEqual(toJsonSchema({ type: "any" }), {});
});

test("an object's required properties are those not optional and without a default", (t) => {
  const schema = toJsonSchema({ type: "object", strict: true, props: { number: { type: "string" }, note: { type: "string", optional: true }, genres: { type: "array", default: [] } } });
  t.deepEqual(schema.required, ["number"]);
  t.is(schema.additionalProperties, false);
  t.true(isOptional({ type: "string", optional: true }));
  t.false(isOptional({ type: "string" }));
});

test("an action's params become an object schema and validator options ($$strict) are left out", (t) => {
  t.deepEqual(paramsSchema({ $$strict: "remove", showId: { type: "string" }, lat: { type: "number", optional: true } }), {
    type: "object", properties: { showId: { type: "string" }, lat: { type: "number" } }, required: ["showId"],
  });
});

test("a type the converter does not know is passed through as 'checked by the server', never guessed", (t) => {
  t.deepEqual(toJsonSchema({ type: "luhn" }), { description: 'checked by the server (fastest-validator "luhn")' });
});
