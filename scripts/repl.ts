// `npm run repl`: the Moleculer REPL with Marquee's operator commands, on a running platform.
//   TRANSPORTER set: joins that cluster as a node with no services of its own.
//   otherwise: attaches to the single-process platform `npm start` runs on this machine, over
//     the loopback operator channel (OPERATOR_PORT, default 4446; see infra/operator-channel.ts).
//   --embedded: starts the whole platform in this process instead (the old default).
import { createServer } from "node:net";
import { ServiceBroker } from "moleculer";
import { startMarquee } from "../app.ts";
import { readConfig, type MarqueeConfig } from "../moleculer.config.ts";
import { OPERATOR_NODE_ID, operatorChannel } from "../infra/operator-channel.ts";
import { replCommands } from "../operators/commands.ts";

/** How long to wait for a platform to call in before saying there is none. */
const ATTACH_WAIT_MS = 8_000;

function fail(message: string): never {
  console.error(`marquee repl: ${message}`);
  process.exit(1);
}

async function attach(config: MarqueeConfig): Promise<ServiceBroker> {
  const port = config.operatorPort;
  if (port === undefined) fail("OPERATOR_PORT is off here: set OPERATOR_PORT to the port `npm start` uses (default 4446), or TRANSPORTER to join a cluster");
  // Moleculer retries a transporter that cannot listen forever: find out first.
  const taken = await new Promise<boolean>((resolve) => {
    const probe = createServer().once("error", () => resolve(true)).listen(port, "127.0.0.1", () => probe.close(() => resolve(false)));
  });
  if (taken) fail(`127.0.0.1:${port} is taken: another operator REPL is attached (close it), or something else uses the port (set OPERATOR_PORT to a free one, for \`npm start\` too)`);
  const broker = new ServiceBroker({ namespace: config.namespace, nodeID: OPERATOR_NODE_ID, transporter: operatorChannel(port), logger: false, heartbeatInterval: 0.5, heartbeatTimeout: 2 });
  await broker.start();
  try {
    await broker.waitForServices(["catalog", "show"], ATTACH_WAIT_MS);
  } catch {
    await broker.stop();
    fail([
      `nothing to attach to: no Marquee platform (namespace ${config.namespace}) called 127.0.0.1:${port} within ${ATTACH_WAIT_MS / 1000} s. Either`,
      "  - start one with `npm start` in another terminal (it opens this channel unless NODE_ENV=production or OPERATOR_PORT=off), then run `npm run repl` again;",
      "  - set TRANSPORTER (e.g. nats://127.0.0.1:4222) to join a cluster; or",
      "  - run `npm run repl -- --embedded` to start a platform in this process.",
    ].join("\n"));
  }
  const platforms = [...new Set(broker.registry.getServiceList({ skipInternal: true }).filter((s) => s.name === "catalog").map((s) => s.nodeID))];
  console.log(`marquee: attached to node ${platforms.join(", ")} (namespace ${config.namespace}) over 127.0.0.1:${port}`);
  if (platforms.length > 1) console.log(`marquee: warning: ${platforms.length} platforms called in and commands may reach any of them; give each \`npm start\` its own OPERATOR_PORT or NAMESPACE`);
  return broker;
}

const base = readConfig();
let broker: ServiceBroker;
if (base.transporter) {
  broker = (await startMarquee({ ...base, services: [] })).broker;
  console.log(`marquee: REPL node ${broker.nodeID} joined namespace ${base.namespace} on ${base.transporter}`);
} else if (process.argv.includes("--embedded")) {
  // The operator channel is this process's own: nobody else needs to call in.
  const marquee = await startMarquee({ ...base, operatorPort: undefined });
  broker = marquee.broker;
  console.log(`marquee: embedded platform started${marquee.port ? ` on http://localhost:${marquee.port}/api` : ""}`);
} else {
  broker = await attach(base);
}
console.log("operator commands: shows, seatmap, owners, expire, reprice, festival (type help)");
broker.options.replOptions = { customCommands: replCommands() } as never;
broker.repl();
