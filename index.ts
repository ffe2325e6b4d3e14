// `npm start`: reads the environment once, starts this node, stops cleanly on SIGINT/SIGTERM.
import { insecureDefaults, readConfig } from "./moleculer.config.ts";
import { startBanner, startMarquee } from "./app.ts";
import { replCommands } from "./operators/commands.ts";

let config;
try {
  config = readConfig();
} catch (error) {
  console.error(`marquee: ${(error as Error).message}`);
  process.exit(2);
}

const marquee = await startMarquee(config).catch((error: unknown) => {
  console.error(`marquee: could not start: ${(error as Error).message}`);
  if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
    const port = (error as { port?: number }).port ?? config.port;
    const setting = ([["PORT", config.port], ["PROCESSOR_PORT", config.payments.processorPort], ["OPERATOR_PORT", config.operatorPort], ["METRICS_PORT", config.metricsPort]] as const).find(([, p]) => p === port)?.[0] ?? "PORT";
    console.error(`marquee: port ${port} is taken; set ${setting} to a free one`);
  }
  process.exit(1);
});

if (marquee.port) {
  // JSON logs stay one JSON object per line, banner included.
  const say = config.logFormat === "json" ? (line: string) => marquee.broker.logger.info(line) : console.log;
  for (const line of startBanner(config, marquee.port, marquee.broker.nodeID, marquee.processorUrl)) say(line);
}

// Development keeps its defaults so `npm start` just works, but says so where nobody can miss it
// (through the logger with LOG_FORMAT=json, so every line stays JSON).
const warn = config.logFormat === "json" ? (line: string) => marquee.broker.logger.warn(line) : console.warn;
for (const problem of insecureDefaults(config)) warn(`marquee: WARNING (development only; NODE_ENV=production refuses this): ${problem}`);

// `npm start -- --repl`: the operator REPL on this node (Ctrl-D stops the node).
if (process.argv.includes("--repl")) {
  marquee.broker.options.replOptions = { customCommands: replCommands() } as never;
  marquee.broker.repl();
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    marquee.stop().then(() => process.exit(0), (error: unknown) => {
      console.error("marquee: stop failed", error);
      process.exit(1);
    });
  });
}
