// `npm run repl`: the Moleculer REPL with Marquee's operator commands. With TRANSPORTER set it
// joins the running cluster as a node with no services of its own; without, it starts the whole
// embedded platform in this process (like `npm start`) and opens the REPL on it.
import { startMarquee } from "../app.ts";
import { readConfig } from "../moleculer.config.ts";
import { replCommands } from "../operators/commands.ts";

const base = readConfig();
const config = base.transporter ? { ...base, services: [] } : base;
const marquee = await startMarquee(config);
console.log(base.transporter
  ? `marquee: REPL node ${marquee.broker.nodeID} joined namespace ${config.namespace} on ${base.transporter}`
  : `marquee: embedded platform started${marquee.port ? ` on http://localhost:${marquee.port}/api` : ""}`);
console.log("operator commands: shows, seatmap, owners, expire, reprice, festival (type help)");
marquee.broker.options.replOptions = { customCommands: replCommands() } as never;
marquee.broker.repl();
