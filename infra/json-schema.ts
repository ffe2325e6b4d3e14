// fastest-validator rules (what every action's `params` is written in) as JSON Schema (draft
// 2020-12, which OpenAPI 3.1 uses), so the API description is generated from the very schemas
// requests are validated with and cannot drift from them.

export type JsonSchema = Record<string, unknown>;
type Rule = string | Record<string, unknown> | Rule[];

const FORMATS: Record<string, string> = { email: "email", url: "uri", uuid: "uuid", date: "date-time" };

/** Rules that arrived from another node went through JSON: a RegExp became {}. */
function pattern(value: unknown): string | undefined {
  if (value instanceof RegExp) return value.source;
  return typeof value === "string" ? value : undefined;
}

/** A shorthand such as "string" or "number|optional|min:1" as the object form. */
function expand(rule: string): Record<string, unknown> {
  const [type, ...flags] = rule.split("|");
  const expanded: Record<string, unknown> = { type };
  for (const flag of flags) {
    const [key, raw] = flag.split(":");
    expanded[key!] = raw === undefined ? true : Number.isNaN(Number(raw)) ? raw : Number(raw);
  }
  return expanded;
}

export function isOptional(rule: Rule): boolean {
  if (Array.isArray(rule)) return rule.every(isOptional);
  const r = typeof rule === "string" ? expand(rule) : rule;
  return r.optional === true || r.default !== undefined;
}

export function toJsonSchema(input: Rule): JsonSchema {
  if (Array.isArray(input)) return { anyOf: input.map(toJsonSchema) };
  const rule = typeof input === "string" ? expand(input) : input;
  const schema = convert(rule);
  if (rule.default !== undefined && typeof rule.default !== "function") schema.default = rule.default;
  if (rule.nullable === true && typeof schema.type === "string") schema.type = [schema.type, "null"];
  return schema;
}

/** An object of named rules (an action's params) as an object schema; `$$` keys are validator options. */
export function paramsSchema(params: Record<string, Rule>): JsonSchema & { properties: Record<string, JsonSchema>; required: string[] } {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, rule] of Object.entries(params)) {
    if (name.startsWith("$$")) continue;
    properties[name] = toJsonSchema(rule);
    if (!isOptional(rule)) required.push(name);
  }
  const strict = params.$$strict as unknown;
  return { type: "object", properties, required, ...(strict === true ? { additionalProperties: false } : {}) };
}

function convert(rule: Record<string, unknown>): JsonSchema {
  const type = String(rule.type ?? "any");
  switch (type) {
    case "string": case "email": case "url": case "uuid": {
      const s: JsonSchema = { type: "string" };
      if (FORMATS[type]) s.format = FORMATS[type];
      if (typeof rule.length === "number") s.minLength = s.maxLength = rule.length;
      if (typeof rule.min === "number") s.minLength = rule.min;
      if (typeof rule.max === "number") s.maxLength = rule.max;
      if (rule.empty === false && s.minLength === undefined) s.minLength = 1;
      const p = pattern(rule.pattern);
      if (p !== undefined) s.pattern = p;
      if (Array.isArray(rule.enum)) s.enum = rule.enum;
      return s;
    }
    case "number": {
      const s: JsonSchema = { type: rule.integer === true ? "integer" : "number" };
      if (typeof rule.min === "number") s.minimum = rule.min;
      if (typeof rule.max === "number") s.maximum = rule.max;
      if (typeof rule.equal === "number") s.const = rule.equal;
      if (rule.positive === true) s.exclusiveMinimum = 0;
      if (rule.negative === true) s.exclusiveMaximum = 0;
      return s;
    }
    case "boolean": return { type: "boolean" };
    case "date": return { type: "string", format: "date-time" };
    case "enum": return { enum: Array.isArray(rule.values) ? rule.values : [] };
    case "equal": return { const: rule.value };
    case "array": {
      const s: JsonSchema = { type: "array" };
      if (rule.items !== undefined) s.items = toJsonSchema(rule.items as Rule);
      if (typeof rule.length === "number") s.minItems = s.maxItems = rule.length;
      if (typeof rule.min === "number") s.minItems = rule.min;
      if (typeof rule.max === "number") s.maxItems = rule.max;
      if (rule.empty === false && s.minItems === undefined) s.minItems = 1;
      if (rule.unique === true) s.uniqueItems = true;
      return s;
    }
    case "object": {
      if (!rule.props && !rule.properties) return { type: "object" };
      const s = paramsSchema((rule.props ?? rule.properties) as Record<string, Rule>);
      // strict: "remove" drops unknown keys instead of refusing them, so only `true` forbids them.
      if (rule.strict === true) s.additionalProperties = false;
      return s;
    }
    case "record": {
      const s: JsonSchema = { type: "object" };
      if (rule.key !== undefined) s.propertyNames = toJsonSchema(rule.key as Rule);
      if (rule.value !== undefined) s.additionalProperties = toJsonSchema(rule.value as Rule);
      return s;
    }
    case "multi": return { anyOf: (Array.isArray(rule.rules) ? rule.rules : []).map((r) => toJsonSchema(r as Rule)) };
    case "any": return {};
    default: return { description: `checked by the server (fastest-validator "${type}")` };
  }
}
