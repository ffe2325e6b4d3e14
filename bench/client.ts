// What benchmarks share to drive a server over HTTP: one JSON call, and bulk sign-ups.
type Json = any;

export async function call(url: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(url + path, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Registers `count` customers, 50 at a time, and returns their tokens. */
export async function register(url: string, count: number, label: string): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = await Promise.all(Array.from({ length: Math.min(50, count - i) }, async (_, j) => {
      const email = `${label}-${i + j}-${Date.now()}@bench.local`;
      // A node with a low shedding bound refuses part of a batch: come back as Retry-After says.
      for (;;) {
        const reply = await call(url, "POST", "/api/auth/register", { email, password: "bench password", name: "Bench" });
        if (reply.status !== 503) return reply;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }));
    const failed = batch.find((r) => r.status !== 201);
    if (failed) throw new Error(`registering a bench user failed: ${failed.status} ${JSON.stringify(failed.body)}`);
    tokens.push(...batch.map((r) => r.body.token as string));
    process.stderr.write(`\r  registering ${label} users: ${tokens.length}/${count}`);
  }
  process.stderr.write("\n");
  return tokens;
}
