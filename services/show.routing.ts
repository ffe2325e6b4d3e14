// Calls to a show go to the node that owns it. Moleculer's balancer knows nothing of leases
// (and its Shard strategy disagrees between callers while the ring changes), so this broker
// middleware picks the node explicitly: the lease holder from the store (cached per node and
// dropped when that node leaves), or, when nobody holds the lease, the shard's preferred live
// node, which takes the lease on first use. A node that does not own the show answers NOT_OWNER
// naming the owner; a node that died fails the call; either way the call is retried, with
// back-off, until the request's own deadline, and only then becomes a clean 503.
import type { CallingOptions, Middleware, ServiceBroker } from "moleculer";
import { preferredNode, shardLease, shardOf } from "../infra/placement.ts";
import type { ServiceDeps } from "./deps.ts";
import { ServiceUnavailableError } from "./errors.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Failures that mean "that node could not answer", as opposed to an answer. */
function nodeFailed(error: { name?: string; retryable?: boolean }): boolean {
  return error.retryable === true || ["ServiceNotAvailableError", "ServiceNotFoundError", "RequestSkippedError"].includes(error.name ?? "");
}

/** The nodes running the show service right now, this one included. */
export function showNodes(broker: ServiceBroker): string[] {
  const services = broker.registry.getServiceList({ onlyAvailable: true, skipInternal: true }) as { name: string; nodeID: string }[];
  return [...new Set(services.filter((s) => s.name === "show").map((s) => s.nodeID))];
}

type Call = (actionName: string | object, params?: unknown, opts?: CallingOptions) => Promise<unknown>;

export function showRouting({ config, store }: ServiceDeps): Middleware {
  let broker: ServiceBroker;
  const owners = new Map<number, string>();

  const alive = (nodeID: string) => Boolean(broker.registry.nodes.get(nodeID)?.available);
  async function target(shard: number): Promise<string | undefined> {
    const cached = owners.get(shard);
    if (cached && alive(cached)) return cached;
    owners.delete(shard);
    const holder = await store.leaseHolder(shardLease(shard)).catch(() => undefined);
    if (holder && alive(holder.owner)) {
      owners.set(shard, holder.owner);
      return holder.owner;
    }
    return preferredNode(shard, showNodes(broker));
  }

  async function route(next: Call, actionName: string, params: { showId: string }, opts: CallingOptions): Promise<unknown> {
    const shard = shardOf(params.showId, config.showShards);
    const deadline = Date.now() + (opts.timeout ?? broker.options.requestTimeout ?? 10_000);
    let delay = 50;
    let redirects = 0;
    for (;;) {
      const nodeID = await target(shard);
      if (nodeID) {
        try {
          // retries: 0, because retrying is done here, where the owner is known.
          return await next(actionName, params, { ...opts, nodeID, retries: 0, timeout: Math.max(200, deadline - Date.now()) });
        } catch (caught) {
          const error = caught as { type?: string; name?: string; retryable?: boolean; data?: { owner?: string } };
          if (error.type === "NOT_OWNER") {
            const owner = error.data?.owner;
            if (owner && owner !== nodeID && alive(owner) && redirects++ < 3) {
              owners.set(shard, owner);
              continue;
            }
            owners.delete(shard);
          } else if (nodeFailed(error)) {
            owners.delete(shard);
          } else {
            throw caught;
          }
        }
      }
      if (Date.now() + delay >= deadline) {
        throw new ServiceUnavailableError(`No node can serve show ${params.showId} right now; retry in a moment`, 1, "SHOW_UNAVAILABLE", { showId: params.showId });
      }
      await sleep(delay);
      delay = Math.min(delay * 2, 400);
      redirects = 0;
    }
  }

  return {
    name: "ShowRouting",
    created(b: ServiceBroker) {
      broker = b;
      broker.localBus.on("$node.disconnected", ({ node }: { node: { id: string } }) => {
        for (const [shard, owner] of owners) if (owner === node.id) owners.delete(shard);
      });
    },
    call(next: Call): Call {
      return (actionName, params, opts = {}) => {
        const showId = (params as { showId?: unknown } | undefined)?.showId;
        // One process has one show node: nothing to route.
        if (!broker.transit || typeof actionName !== "string" || !actionName.startsWith("show.") || opts.nodeID || typeof showId !== "string") return next(actionName, params, opts);
        const routed = route(next, actionName, params as { showId: string }, opts);
        // Moleculer's call-middleware wrapper stamps the promise with the context of the last
        // `next` call it saw, assuming `next` runs synchronously; this one calls it after an await,
        // so that would be another request's context, whose meta (its 201 and Location) the caller
        // would then merge into its own. A routed call lends its caller no context at all.
        Object.defineProperty(routed, "ctx", { get: () => undefined, set: () => undefined });
        return routed;
      };
    },
    // Moleculer's typings say `call` returns a promise; at run time it wraps `next` and returns a function.
  } as unknown as Middleware;
}
