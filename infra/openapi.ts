// Builds an OpenAPI 3.1 document from the gateway's routes and the params schemas of the actions
// they reach: path parameters from the route, the rest from the action's params (query for GET
// and DELETE, a JSON body otherwise). Pure: the caller passes routes, schemas and responses in.
import { isOptional, paramsSchema, toJsonSchema, type JsonSchema } from "./json-schema.ts";

type Rule = Parameters<typeof toJsonSchema>[0];

export interface Route {
  method: string;
  /** The full path as served, in moleculer-web's form: /api/shows/:showId/holds. */
  path: string;
  /** The action it calls; undefined for a route handled by a function (a stream, a page). */
  action?: string;
  /** The action's params schema (fastest-validator). */
  params?: Record<string, Rule>;
}

/** What a route answers when it succeeds: a status, a media type and, where described, a schema. */
export interface Success { status: number; description: string; contentType?: string; schema?: JsonSchema }

export interface DocumentOptions {
  title: string;
  version: string;
  description: string;
  routes: Route[];
  /** By action name, or by "METHOD path" for routes without an action. */
  successes: Record<string, Success>;
  /** The body of every error answer. */
  errorSchema: JsonSchema;
}

export function openApiDocument(options: DocumentOptions): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of options.routes) {
    const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    const openPath = route.path.replace(/:(\w+)/g, "{$1}");
    const method = route.method.toLowerCase();
    const params = Object.fromEntries(Object.entries(route.params ?? {}).filter(([name]) => !name.startsWith("$$")));
    const parameters: unknown[] = pathParams.map((name) => ({ name, in: "path", required: true, schema: params[name] ? toJsonSchema(params[name]) : { type: "string" } }));
    const rest = Object.fromEntries(Object.entries(params).filter(([name]) => !pathParams.includes(name)));
    let requestBody: unknown;
    if (method === "get" || method === "delete" || method === "head") {
      for (const [name, rule] of Object.entries(rest)) parameters.push({ name, in: "query", required: !isOptional(rule), schema: toJsonSchema(rule) });
    } else if (Object.keys(rest).length) {
      const strict = route.params?.$$strict;
      requestBody = { required: true, content: { "application/json": { schema: paramsSchema({ ...rest, ...(strict !== undefined ? { $$strict: strict } : {}) } as Record<string, Rule>) } } };
    }
    const success = options.successes[route.action ?? `${route.method} ${route.path}`] ?? { status: 200, description: "OK", schema: {} };
    const content = success.status === 204 ? undefined : { [success.contentType ?? "application/json"]: { schema: success.schema ?? {} } };
    paths[openPath] ??= {};
    paths[openPath][method] = {
      operationId: route.action ?? `${method}${openPath.replace(/\W+(\w)/g, (_, c: string) => c.toUpperCase())}`,
      ...(route.action ? { summary: route.action } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [String(success.status)]: { description: success.description, ...(content ? { content } : {}) },
        default: { description: "An error: the HTTP status and `type` say what happened", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: options.title, version: options.version, description: options.description },
    paths,
    components: {
      schemas: { Error: options.errorSchema },
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "The token from POST /api/auth/register or /api/auth/login" } },
    },
    // Anonymous where a route allows it; the action decides who may do what.
    security: [{}, { bearer: [] }],
  };
}
