// Where a show lives in a cluster. Shows are grouped into a fixed number of shards so a node
// renews a few dozen leases, not one per show; a shard's preferred node is chosen by rendezvous
// (highest random weight) hashing, which moves only the shards of a node that joins or leaves.
import { fnv1a } from "../domain/hash.ts";

export const shardOf = (showId: string, shards: number): number => fnv1a(showId) % shards;

export const shardLease = (shard: number): string => `shard:${shard}`;

/** The node a shard should live on among `nodes`, or undefined when there are none. */
export function preferredNode(shard: number, nodes: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = -1;
  for (const node of nodes) {
    const score = fnv1a(`${shard}/${node}`);
    if (score > bestScore || (score === bestScore && best !== undefined && node < best)) {
      best = node;
      bestScore = score;
    }
  }
  return best;
}
