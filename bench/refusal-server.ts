// A node:http server behind the gateway's own load shedding (services/load-shedding.ts) whose
// write class is always full (its one slot taken and never given back), so every write is
// refused. `bench/overload.ts` runs it on the node's core to cost one refusal, the least a
// 503 can cost on one event loop. PORT from the environment; prints "ready" when listening.
import { createServer } from "node:http";
import { loadShedding } from "../services/load-shedding.ts";

const server = createServer((_req, res) => res.end());
const shedding = loadShedding({ shedMaxWrites: 1, shedMaxReads: 1, shedTargetDelayMs: 0 });
shedding.limiter.enter("write");
shedding.guard(server);
server.listen(Number(process.env.PORT), "127.0.0.1", () => process.stdout.write("ready\n"));
