// The container's HEALTHCHECK: is this node's HTTP side answering? A gateway node answers
// /api/health on PORT, a node without a gateway /metrics on METRICS_PORT; a node with neither
// has nothing to ask and counts as healthy while its process runs. Exit 0 healthy, 1 not.
import { readConfig } from "../moleculer.config.ts";

const config = readConfig();
const url = config.services.includes("api")
  ? `http://127.0.0.1:${config.port}/api/health`
  : config.metricsPort !== undefined ? `http://127.0.0.1:${config.metricsPort}/metrics` : undefined;

if (url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
  } catch (error) {
    console.error(`marquee healthcheck: ${url}: ${(error as Error).message}`);
    process.exit(1);
  }
}
