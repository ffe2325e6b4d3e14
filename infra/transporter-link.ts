// Is this node's link to the transporter up right now? Moleculer's Transit says "connected"
// from the first connection until a deliberate disconnect, even while the NATS client is
// reconnecting after the server went away, and requests sent meanwhile wait in the client's
// buffer until the request timeout. The NATS client reports every disconnect and reconnect
// on its status stream; this follows it.
interface StatusSource {
  status(): AsyncIterable<{ type: string }> & { stop?(): void };
}

export interface TransporterLink {
  up(): boolean;
  stop(): void;
}

/** Follows a transporter client's connection; a client without a status stream is taken as always up. */
export function followLink(client: unknown): TransporterLink {
  const source = client as Partial<StatusSource> | undefined;
  if (typeof source?.status !== "function") return { up: () => true, stop: () => undefined };
  let up = true;
  const events = source.status();
  void (async () => {
    for await (const { type } of events) {
      if (type === "disconnect") up = false;
      else if (type === "reconnect") up = true;
    }
  })().catch(() => { up = false; });
  return { up: () => up, stop: () => events.stop?.() };
}
