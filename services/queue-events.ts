// An on-sale's queue, live: GET /api/onsales/:onsaleId/queue/events streams Server-Sent Events
// through the gateway's live feed. Every event is the on-sale's whole public state (who has
// been let in, the pace, the seats left), the same bytes for every watcher; the page knows its
// own place and works out the rest, so a connected customer costs the socket and nothing more.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Context } from "moleculer";
import type { QueueSnapshot } from "../domain/onsale/queue.ts";
import { frame, type LiveFeed } from "../infra/live-feed.ts";
import { NotFoundError } from "./errors.ts";

const HEARTBEAT_MS = 15_000;
const keyOf = (onsaleId: string) => `onsale:${onsaleId}`;

type StreamRequest = IncomingMessage & { $ctx?: Context; $params: Record<string, unknown> };

export function queueEvents(feed: LiveFeed) {
  return {
    async watch(req: StreamRequest, res: ServerResponse): Promise<void> {
      const onsaleId = String(req.$params.onsaleId ?? "");
      if (!/^[\w.:-]{1,100}$/.test(onsaleId)) throw new NotFoundError("OnSale", onsaleId.slice(0, 100), "ONSALE_NOT_FOUND");
      // Listen first, so nothing broadcast while the snapshot is read is lost: each event is a
      // whole state, so only the latest one held back matters.
      let started = false;
      let heldBack: string | undefined;
      const send = (chunk: string) => {
        if (started) res.write(chunk);
        else heldBack = chunk;
      };
      const stop = feed.subscribe(keyOf(onsaleId), send);
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
      const close = () => {
        stop();
        clearInterval(heartbeat);
      };
      req.on("close", close);
      try {
        const snapshot = await req.$ctx!.call<QueueSnapshot, object>("onsale.get", { onsaleId });
        res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" });
        res.write(`retry: 2000\n\n${frame("queue", snapshot)}`);
        started = true;
        if (heldBack) res.write(heldBack);
      } catch (error) {
        close();
        throw error;
      }
    },

    publish(snapshot: QueueSnapshot): void {
      feed.broadcast(keyOf(snapshot.onsaleId), "queue", snapshot);
    },
  };
}
