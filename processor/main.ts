// `node processor/main.ts`: the local processor as its own process, configured by the
// environment (see config.ts), stopped cleanly on SIGTERM and SIGINT.
import { MemoryStore } from "../infra/memory-store.ts";
import { RedisStore } from "../infra/redis-store.ts";
import { readProcessorConfig } from "./config.ts";
import { PROCESSOR_RETENTION } from "./idempotency.ts";
import { startProcessor } from "./server.ts";

const config = readProcessorConfig();
const retention = PROCESSOR_RETENTION;
const store = config.redisUrl ? new RedisStore(config.redisUrl, config.redisPrefix, { retention }) : new MemoryStore(Date.now, { retention });
const logger = { info: (line: string) => console.log(line), warn: (line: string) => console.warn(line) };
const processor = await startProcessor({ ...config, store, logger });

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
