// One hash for spreading ids, the same in every process and version: shards of shows across
// nodes, and a show's ended holds across buckets.

/** FNV-1a, 32 bit: fast, stable, good enough to spread ids (not for anything adversarial). */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
