// `node processor/main.ts`: the local processor as a process of its own (a cluster's, say),
// configured like every Marquee node by moleculer.config.ts: STRIPE_* keys, PROCESSOR_PORT,
// PROCESSOR_PUBLIC_URL, PROCESSOR_WEBHOOK_URL, PROCESSOR_FAULTS, and REDIS_URL with NAMESPACE
// for its store. Stopped cleanly on SIGTERM and SIGINT.
import { storeFor } from "../app.ts";
import { readConfig } from "../moleculer.config.ts";
import { startProcessor } from "./server.ts";

let config;
try {
  config = readConfig();
} catch (error) {
  console.error(`processor: ${(error as Error).message}`);
  process.exit(2);
}
const store = storeFor(config);
const logger = { info: (line: string) => console.log(line), warn: (line: string) => console.warn(line) };
const { payments } = config;
const processor = await startProcessor({
  store, port: payments.processorPort, host: config.host, logger, faults: config.processorFaults,
  secretKey: payments.secretKey, publishableKey: payments.publishableKey, webhookSecret: payments.webhookSecret,
  ...(payments.publicApiBase ? { publicUrl: payments.publicApiBase } : {}),
  ...(payments.webhookUrl ? { webhookUrl: payments.webhookUrl } : {}),
}).catch((error: unknown) => {
  console.error(`processor: could not start: ${(error as Error).message}`);
  process.exit(1);
});

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`processor: ${signal}, stopping`);
  await processor.stop();
  await store.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
