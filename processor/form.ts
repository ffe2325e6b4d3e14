// Stripe's request encoding: application/x-www-form-urlencoded with bracketed keys, as the SDK
// sends them (`metadata[booking]=b1`, `expand[0]=latest_charge`, `card[exp_month]=12`).

/** A decoded request: nested records of strings; arrays where every key was an index. */
export type Params = { [key: string]: Value };
export type Value = string | Value[] | Params;

/** The path of a bracketed key: `a[b][0]` -> ["a", "b", "0"]; undefined when it is malformed. */
function pathOf(key: string): string[] | undefined {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return undefined;
  const rest = [...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!);
  return [match[1]!, ...rest];
}

/** Objects whose keys are exactly 0..n-1 become arrays, as qs decodes `a[0]=x&a[1]=y`. */
function arrays(value: Value): Value {
  if (typeof value === "string" || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  for (const k of keys) value[k] = arrays(value[k]!);
  const indexed = keys.length > 0 && keys.every((k, i) => k === String(i));
  return indexed ? keys.map((k) => value[k]!) : value;
}

export type Decoded = { ok: true; params: Params } | { ok: false; param: string };

/** Decodes a body or query string; a key used both as a value and as an object is refused. */
export function decodeForm(text: string): Decoded {
  const root: Params = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const path = pathOf(key);
    if (!path) return { ok: false, param: key };
    let node: Params = root;
    for (let i = 0; i < path.length; i++) {
      // `a[]=x` appends, as qs does.
      const part = path[i] === "" ? String(Object.keys(node).length) : path[i]!;
      if (i === path.length - 1) {
        if (part in node) return { ok: false, param: key };
        node[part] = value;
      } else {
        const next = node[part] ?? (node[part] = Object.create(null) as Params);
        if (typeof next === "string" || Array.isArray(next)) return { ok: false, param: key };
        node = next;
      }
    }
  }
  return { ok: true, params: arrays(root) as Params };
}
