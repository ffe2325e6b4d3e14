// `npm run cluster`: a local four-node Marquee cluster on an existing NATS and Redis.
//   processor: the local card processor (processor/main.ts) on CLUSTER_PROCESSOR_PORT (3100)
//   main-1, main-2: show,catalog,pricing,payment,auth (main-1 seeds the demo catalog)
//   edge-1, edge-2: api,admin,tickets,reviews,onsale on EDGE_PORTS (default 3001,3002)
// Environment: TRANSPORTER (nats://127.0.0.1:4222), REDIS_URL (redis://127.0.0.1:6379),
// NAMESPACE (marquee), EDGE_PORTS, and anything index.ts reads (LOG_LEVEL, HOLD_TTL_MS, ...).
// Every child line is printed prefixed with its name. Ctrl-C stops all nodes gracefully
// (SIGTERM, SIGKILL after 5 s; a second Ctrl-C kills them at once).
import { spawn, type ChildProcess } from "node:child_process";
import { createConnection } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TRANSPORTER = process.env.TRANSPORTER || "nats://127.0.0.1:4222";
const REDIS_URL = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const NAMESPACE = process.env.NAMESPACE || "marquee";
const EDGE_PORTS = (process.env.EDGE_PORTS || "3001,3002").split(",").map((p) => p.trim()).filter(Boolean);
const PROCESSOR_PORT = process.env.CLUSTER_PROCESSOR_PORT || "3100";
const STOP_GRACE_MS = 5_000;
const READY_TIMEOUT_MS = 60_000;

const useColor = process.stdout.isTTY === true && !process.env.NO_COLOR;
const COLORS = [36, 35, 33, 32, 34, 31];
const paint = (code: number, text: string): string => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
const dim = (text: string): string => (useColor ? `\x1b[2m${text}\x1b[0m` : text);

function say(message: string): void {
  console.log(`${dim("cluster".padEnd(width))} | ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Preflight: are NATS and Redis there?

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const first = url.split(",")[0]!.trim();
  const parsed = new URL(first.includes("://") ? first : `tcp://${first}`);
  return { host: parsed.hostname || "127.0.0.1", port: parsed.port ? Number(parsed.port) : defaultPort };
}

function reachable(host: string, port: number, timeoutMs = 1_500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => { clearTimeout(timer); socket.destroy(); resolve(ok); };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

// ---------------------------------------------------------------------------------------------
// Nodes

interface NodeSpec { name: string; env: Record<string, string>; url?: string; script?: string }

// The card processor runs as a process of its own over the cluster's Redis: both main nodes
// pay through it, and it posts its webhooks to the first gateway.
const processorUrl = `http://127.0.0.1:${PROCESSOR_PORT}`;
const mainServices = "show,catalog,pricing,payment,auth";
const specs: NodeSpec[] = [
  {
    name: "processor", script: "processor/main.ts",
    env: { PROCESSOR_PORT, PROCESSOR_WEBHOOK_URL: `http://127.0.0.1:${EDGE_PORTS[0]}/api/payments/webhook` },
  },
  { name: "main-1", env: { SERVICES: mainServices, NODE_ID: "main-1", SEED_DEMO: "true", STRIPE_API_BASE: processorUrl } },
  { name: "main-2", env: { SERVICES: mainServices, NODE_ID: "main-2", SEED_DEMO: "false", STRIPE_API_BASE: processorUrl } },
  ...EDGE_PORTS.map((port, i) => ({
    name: `edge-${i + 1}`,
    env: { SERVICES: "api,admin,tickets,reviews,onsale", NODE_ID: `edge-${i + 1}`, SEED_DEMO: "false", PORT: port },
    url: `http://127.0.0.1:${port}`,
  })),
];
const width = Math.max("cluster".length, ...specs.map((s) => s.name.length));

interface Running { spec: NodeSpec; child: ChildProcess; exited: Promise<number | null> }
const running: Running[] = [];
let stopping = false;

function pipeLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream): void {
  if (!stream) return;
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    partial += chunk;
    let newline: number;
    while ((newline = partial.indexOf("\n")) >= 0) {
      out.write(`${prefix}${partial.slice(0, newline).replace(/\r$/, "")}\n`);
      partial = partial.slice(newline + 1);
    }
  });
  stream.on("end", () => { if (partial) out.write(`${prefix}${partial}\n`); });
}

function start(spec: NodeSpec, index: number): Running {
  const prefix = `${paint(COLORS[index % COLORS.length]!, spec.name.padEnd(width))} | `;
  const child = spawn(process.execPath, [spec.script ?? "index.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOST: process.env.HOST ?? "127.0.0.1", ...spec.env, TRANSPORTER, REDIS_URL, NAMESPACE },
  });
  pipeLines(child.stdout, prefix, process.stdout);
  pipeLines(child.stderr, prefix, process.stderr);
  const exited = new Promise<number | null>((resolve) => {
    child.once("error", (error) => { console.error(`${prefix}could not start: ${error.message}`); resolve(null); });
    child.once("exit", (code, signal) => {
      if (!stopping) say(`${spec.name} exited (${signal ?? `code ${code}`}); the other nodes keep running`);
      resolve(code);
    });
  });
  const node = { spec, child, exited };
  running.push(node);
  return node;
}

const alive = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

async function stopAll(signal: NodeJS.Signals): Promise<void> {
  stopping = true;
  say(`${signal}: stopping ${running.filter((n) => alive(n.child)).length} node(s) (Ctrl-C again to kill them now)`);
  for (const node of running) if (alive(node.child)) node.child.kill("SIGTERM");
  const killer = setTimeout(() => {
    for (const node of running) {
      if (alive(node.child)) { say(`${node.spec.name} did not stop within ${STOP_GRACE_MS / 1000} s: SIGKILL`); node.child.kill("SIGKILL"); }
    }
  }, STOP_GRACE_MS);
  const codes = await Promise.all(running.map((n) => n.exited));
  clearTimeout(killer);
  say("all nodes stopped");
  process.exit(codes.every((code) => code === 0) ? 0 : 1);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function waitForEdges(edges: Running[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const pending = new Set(edges);
  while (pending.size > 0 && !stopping) {
    for (const edge of [...pending]) {
      if (!alive(edge.child)) pending.delete(edge);
      else if (await healthy(edge.spec.url!)) pending.delete(edge);
    }
    if (pending.size === 0 || stopping) break;
    if (Date.now() > deadline) {
      say(`still waiting for ${[...pending].map((e) => e.spec.name).join(", ")} after ${READY_TIMEOUT_MS / 1000} s; check their logs above`);
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  if (stopping) return;
  const up = edges.filter((e) => alive(e.child));
  if (up.length === 0) { say("no edge node is running; check the logs above"); return; }
  say(`cluster "${NAMESPACE}" is up on ${TRANSPORTER} and ${REDIS_URL}`);
  for (const edge of up) say(`  ${edge.spec.name}: ${edge.spec.url}/api   (health: ${edge.spec.url}/api/health)`);
  say(`  card processor (test cards only): ${processorUrl}/`);
  say(`  admin: ${process.env.ADMIN_EMAIL ?? "admin@marquee.local"} / ADMIN_PASSWORD; Ctrl-C stops everything`);
}

// ---------------------------------------------------------------------------------------------

const nats = hostPort(TRANSPORTER, 4222);
const redis = hostPort(REDIS_URL, 6379);
const [natsUp, redisUp] = await Promise.all([reachable(nats.host, nats.port), reachable(redis.host, redis.port)]);
if (!natsUp || !redisUp) {
  if (!natsUp) console.error(`cluster: NATS is not reachable at ${nats.host}:${nats.port} (TRANSPORTER=${TRANSPORTER})`);
  if (!redisUp) console.error(`cluster: Redis is not reachable at ${redis.host}:${redis.port} (REDIS_URL=${REDIS_URL})`);
  console.error("cluster: start them first, e.g.  nats-server -a 127.0.0.1 -p 4222 &  redis-server --port 6379 &");
  console.error("cluster: not installed? Debian/Ubuntu: apt-get install nats-server redis-server");
  console.error("cluster: or point TRANSPORTER / REDIS_URL at running servers");
  process.exit(1);
}

let interrupts = 0;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (++interrupts === 1) { void stopAll(signal); return; }
    say("killing all nodes now");
    for (const node of running) if (alive(node.child)) node.child.kill("SIGKILL");
  });
}
// If this script exits some other way, do not leave nodes behind.
process.on("exit", () => {
  for (const node of running) if (alive(node.child)) node.child.kill("SIGKILL");
});

say(`starting ${specs.length - 1} nodes and the card processor in namespace "${NAMESPACE}" on ${TRANSPORTER} and ${REDIS_URL}`);
specs.filter((s) => !s.url).forEach((spec, i) => start(spec, i));
const edges = specs.filter((s) => s.url).map((spec, i) => start(spec, i + 2));
await waitForEdges(edges);
