// One log line per HTTP request, written when the response ends: method, path, status, time and
// the request id (the X-Request-ID the client sent, else the id Moleculer gave the call; with
// tracing on it is the trace id). moleculer-web's own request lines stay at debug.
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export interface AccessEntry { method: string; path: string; status: number; ms: number; requestId: string }

interface Logger { info(...args: unknown[]): void }

/** The short human form: `GET /api/shows 200 6.9ms req=4f1c…`. */
export function accessLine(entry: AccessEntry): string {
  return `${entry.method} ${entry.path} ${entry.status} ${entry.ms}ms req=${entry.requestId}`;
}

/** Logs every request `server` answers; `json` passes the fields to pino as properties. */
export function logRequests(server: Server, logger: Logger, json: boolean): void {
  server.prependListener("request", (req: IncomingMessage & { $ctx?: { requestID?: string }; originalUrl?: string }, res: ServerResponse) => {
    const start = process.hrtime.bigint();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const header = req.headers["x-request-id"];
      const entry: AccessEntry = {
        method: req.method ?? "?",
        // The query string stays out of the log: it can carry a customer's location.
        // moleculer-web strips the route's prefix from req.url and keeps the original.
        path: (req.originalUrl ?? req.url ?? "").split("?")[0]!,
        // A client that went away before an answer was written.
        status: res.headersSent ? res.statusCode : 499,
        ms: Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10,
        requestId: req.$ctx?.requestID ?? (typeof header === "string" ? header : "-"),
      };
      if (json) logger.info(entry, accessLine(entry));
      else logger.info(accessLine(entry));
    };
    res.once("finish", done);
    res.once("close", done);
  });
}
