// Fault-test harness: starts REAL processes (nats-server, redis-server, `node index.ts`) on free
// ports and always cleans them up. Every child is stopped in t.teardown, and a process 'exit'
// hook SIGKILLs any child still alive, so a failing or crashing test never leaks processes.
// Everything is bounded in time: a process that does not become ready fails the test with its
// captured output instead of hanging it.
import type { ExecutionContext } from "ava";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { freePort } from "../../bench/server.ts";

export { freePort };
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const OUTPUT_LINES = 200;
const FAILURE_LINES = 40;

// ---------------------------------------------------------------------------------------------
// Last-resort cleanup: whatever happens to the test, no child outlives this process.

const live = new Set<ChildProcess>();
const tmpDirs = new Set<string>();
let hooked = false;

function killAllNow(): void {
  for (const child of live) {
    try { if (child.pid !== undefined) process.kill(child.pid, "SIGKILL"); } catch { /* already gone */ }
  }
  live.clear();
  for (const dir of tmpDirs) {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
  tmpDirs.clear();
}

function installExitHook(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", killAllNow);
  // A signal would end this process without running 'exit' hooks: clean up, then die of the same
  // signal unless somebody else (the test runner) also handles it.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const onSignal = (): void => {
      killAllNow();
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

// ---------------------------------------------------------------------------------------------
// Small utilities

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function randomId(): string {
  return randomBytes(4).toString("hex");
}


/** Opens a TCP connection, optionally sends `send`, and resolves with the first chunk received
 * (or "" when `send` is undefined and nothing is expected). Rejects on error or timeout. */
function tcpProbe(port: number, send: string | undefined, expectReply: boolean, timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    const done = (error: Error | undefined, value = ""): void => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error); else resolve(value);
    };
    const timer = setTimeout(() => done(new Error(`no answer on port ${port} within ${timeoutMs} ms`)), timeoutMs);
    socket.once("error", (error) => done(error));
    socket.once("connect", () => {
      if (send !== undefined) socket.write(send);
      if (!expectReply) done(undefined);
    });
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (received.includes("\n")) done(undefined, received);
    });
  });
}

/** Keeps the last `max` lines a process printed. */
class RingBuffer {
  private readonly lines: string[] = [];
  private readonly max: number;
  /** Set once these lines were put into an error, so teardown does not print them twice. */
  reported = false;
  constructor(max: number) { this.max = max; }
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  last(n = this.max): string[] { return this.lines.slice(-n); }
}

interface Spawned {
  child: ChildProcess;
  output: RingBuffer;
  exited: Promise<number | null>;
  /** Called with every line the process prints (stdout and stderr). */
  onLine: Set<(line: string) => void>;
}

function spawnTracked(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; label: string }, output = new RingBuffer(OUTPUT_LINES)): Spawned {
  installExitHook();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  const onLine = new Set<(line: string) => void>();
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => { live.delete(child); resolve(code); });
    child.once("error", (error) => {
      output.push(`[${options.label}] spawn error: ${error.message}`);
      live.delete(child);
      resolve(null);
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    let partial = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      partial += chunk;
      let newline: number;
      while ((newline = partial.indexOf("\n")) >= 0) {
        const line = partial.slice(0, newline).replace(/\r$/, "");
        partial = partial.slice(newline + 1);
        output.push(line);
        for (const listener of onLine) listener(line);
      }
    });
    stream?.on("end", () => {
      if (partial) { output.push(partial); for (const listener of onLine) listener(partial); partial = ""; }
    });
  }
  return { child, output, exited, onLine };
}

function isAlive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && live.has(child);
}

async function killAndWait(spawned: Spawned): Promise<void> {
  if (isAlive(spawned.child)) spawned.child.kill("SIGKILL");
  await spawned.exited;
}

async function terminateAndWait(spawned: Spawned, graceMs = STOP_GRACE_MS): Promise<void> {
  if (!isAlive(spawned.child)) { await spawned.exited; return; }
  spawned.child.kill("SIGTERM");
  // A paused (SIGSTOPped) process would keep the SIGTERM pending forever: let it run.
  spawned.child.kill("SIGCONT");
  const timer = setTimeout(() => { if (isAlive(spawned.child)) spawned.child.kill("SIGKILL"); }, graceMs);
  await spawned.exited;
  clearTimeout(timer);
}

function formatOutput(label: string, output: RingBuffer, n = FAILURE_LINES): string {
  const lines = output.last(n);
  return lines.length ? `--- last ${lines.length} line(s) of ${label} ---\n${lines.join("\n")}` : `--- ${label} printed nothing ---`;
}

/** Polls `ready` until it resolves true, the process exits, or the deadline passes. */
async function waitReady(spawned: Spawned, label: string, ready: () => Promise<boolean>, timeoutMs = READY_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void spawned.exited.then((code) => { exitCode = code; });
  for (;;) {
    if (exitCode !== undefined || !isAlive(spawned.child)) {
      await spawned.exited;
      spawned.output.reported = true;
      throw new Error(`${label} exited (code ${spawned.child.exitCode}, signal ${spawned.child.signalCode}) before it was ready\n${formatOutput(label, spawned.output)}`);
    }
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) {
      await killAndWait(spawned);
      spawned.output.reported = true;
      throw new Error(`${label} was not ready within ${timeoutMs / 1000} s; killed it\n${formatOutput(label, spawned.output)}`);
    }
    await sleep(100);
  }
}

function logOnFailure(t: ExecutionContext, label: string, output: RingBuffer): void {
  t.teardown(() => {
    if (!t.passed && !output.reported) t.log(formatOutput(label, output));
  });
}

// ---------------------------------------------------------------------------------------------
// A private server process (nats-server, redis-server) on a free port

/** A server process a test started on a free port; stopped in the test's teardown. */
export interface ServerProcess {
  url: string;
  port: number;
  /** The last lines it printed. */
  output(): string[];
  /** SIGTERM, SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
  /** SIGKILL (no shutdown save); resolves once it exited. */
  kill(): Promise<void>;
  /** Kills it (if alive) and starts it again on the same port (and data dir, so Redis reloads
   * its AOF); resolves once it serves again. */
  restart(): Promise<void>;
  /** SIGSTOP: it keeps its connections open but answers nothing (a hung server). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
}

type PrivateServer = Omit<ServerProcess, "url"> & { log: RingBuffer };

/** Starts `command` with `args(port)` on a free port and waits until `ready(port)`; restarts reuse the port. */
async function startPrivateServer(command: string, args: (port: number) => string[], ready: (port: number) => Promise<boolean>): Promise<PrivateServer> {
  const log = new RingBuffer(OUTPUT_LINES);
  let port = 0;
  let current: Spawned | undefined;
  const launch = async (): Promise<void> => {
    current = spawnTracked(command, args(port), { label: command }, log);
    await waitReady(current, `${command} :${port}`, () => ready(port));
  };
  // A free port can be taken between freePort() and the bind: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try { await launch(); break; } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  return {
    port,
    log,
    output: () => log.last(),
    stop: async () => { if (current) await terminateAndWait(current); },
    kill: async () => { if (current) await killAndWait(current); },
    restart: async () => {
      if (current) await killAndWait(current);
      await launch();
    },
    pause: () => { if (current && isAlive(current.child)) current.child.kill("SIGSTOP"); },
    resume: () => { if (current && isAlive(current.child)) current.child.kill("SIGCONT"); },
  };
}

// ---------------------------------------------------------------------------------------------
// NATS

export type NatsServer = ServerProcess;

/** A private nats-server on a free port (no JetStream), stopped in teardown. */
export async function startNats(t: ExecutionContext): Promise<NatsServer> {
  // nats-server greets every client with an INFO line once it is serving.
  const server = await startPrivateServer("nats-server", (port) => ["-a", "127.0.0.1", "-p", String(port)],
    async (port) => (await tcpProbe(port, undefined, true)).startsWith("INFO"));
  logOnFailure(t, `nats-server :${server.port}`, server.log);
  t.teardown(() => server.stop());
  return { ...server, url: `nats://127.0.0.1:${server.port}` };
}

// ---------------------------------------------------------------------------------------------
// Redis

export interface RedisServer extends ServerProcess {
  /** Its private data directory (AOF files live here). */
  dir: string;
}

/** A private redis-server on a free port with a fresh data dir, stopped in teardown. With
 * `aof`, every write is fsynced to the append-only file before it is acknowledged. */
export async function startRedis(t: ExecutionContext, options: { aof?: boolean } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "marquee-redis-"));
  tmpDirs.add(dir);
  const removeDir = (): void => {
    rmSync(dir, { recursive: true, force: true });
    tmpDirs.delete(dir);
  };
  // While the dataset loads Redis answers PING with -LOADING; +PONG means it is serving.
  const server = await startPrivateServer("redis-server", (port) => [
    "--port", String(port), "--bind", "127.0.0.1", "--daemonize", "no",
    "--save", "", "--dir", dir, "--logfile", "",
    ...(options.aof ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
  ], async (port) => (await tcpProbe(port, "PING\r\n", true)).startsWith("+PONG")).catch((error: unknown) => { removeDir(); throw error; });
  logOnFailure(t, `redis-server :${server.port}`, server.log);
  t.teardown(async () => {
    await server.stop();
    removeDir();
  });
  return { ...server, url: `redis://127.0.0.1:${server.port}`, dir };
}

// ---------------------------------------------------------------------------------------------
// Marquee nodes

export interface MarqueeNode {
  name: string;
  nodeID: string;
  /** Gateway base URL (http://127.0.0.1:PORT) when the node runs the api service. */
  url: string | undefined;
  pid: number;
  /** Last ~200 lines the node printed (stdout and stderr). */
  output(): string[];
  /** SIGKILL; resolves once it exited. */
  kill(): Promise<void>;
  /** SIGTERM (graceful), SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
  /** SIGSTOP: the process freezes (no heartbeats, no lease renewals) but keeps its sockets. */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Exit code, or null when it died of a signal. */
  exited: Promise<number | null>;
}

const QUIET_LEVELS = new Set(["off", "false", "fatal", "error", "warn"]);
let nodeCounter = 0;

/** Spawns `node index.ts` with the given environment and waits until it is ready: GET
 * /api/health answers 200 for a gateway node, otherwise the broker logged that it started. */
export async function startNode(t: ExecutionContext, env: Record<string, string>, options: { name?: string } = {}): Promise<MarqueeNode> {
  const name = options.name ?? env.NODE_ID ?? `node-${++nodeCounter}`;
  const nodeID = env.NODE_ID ?? `${name}-${randomId()}`;
  const services = (env.SERVICES ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const gateway = services.length === 0 || services.includes("api");
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    LOG_LEVEL: "warn",
    HOST: "127.0.0.1",
    // No operator channel: test nodes must not be found by a REPL a developer has open.
    OPERATOR_PORT: "off",
    SCRYPT_N: "1024",
    SIGNUP_MAX_PER_ADDRESS: "100000",
    // Each node running payments embeds the local processor on a port of its own; they share the
    // cluster's Redis, so any of them answers for any payment.
    PROCESSOR_PORT: "0",
    // As in testConfig: tests fire hundreds of requests at once to check behaviour, not capacity,
    // on machines busy with other tests, where a node's event loop runs late and it would shed.
    SHED_MAX_WRITES: "0",
    SHED_MAX_READS: "0",
    ...env,
    NODE_ID: nodeID,
  };
  let url: string | undefined;
  if (gateway) {
    childEnv.PORT = env.PORT ?? String(await freePort());
    url = `http://127.0.0.1:${childEnv.PORT}`;
  } else if (QUIET_LEVELS.has((childEnv.LOG_LEVEL ?? "").toLowerCase())) {
    // Readiness is read from the broker's "ServiceBroker with N service(s) started" info line.
    childEnv.LOG_LEVEL = "info";
  }

  const spawned = spawnTracked(process.execPath, ["index.ts"], { cwd: ROOT, env: childEnv, label: name });
  logOnFailure(t, `node ${name} (${nodeID})`, spawned.output);
  t.teardown(() => terminateAndWait(spawned));

  if (gateway) {
    await waitReady(spawned, `node ${name}`, async () => {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      return res.status === 200;
    });
  } else {
    let started = spawned.output.last().some(isStartedLine);
    const listener = (line: string): void => { if (isStartedLine(line)) started = true; };
    spawned.onLine.add(listener);
    try {
      await waitReady(spawned, `node ${name}`, async () => started);
    } finally {
      spawned.onLine.delete(listener);
    }
  }

  const { child } = spawned;
  return {
    name,
    nodeID,
    url,
    pid: child.pid!,
    output: () => spawned.output.last(),
    kill: () => killAndWait(spawned),
    stop: () => terminateAndWait(spawned),
    pause: () => { if (isAlive(child)) child.kill("SIGSTOP"); },
    resume: () => { if (isAlive(child)) child.kill("SIGCONT"); },
    exited: spawned.exited,
  };
}

function isStartedLine(line: string): boolean {
  return line.includes("ServiceBroker with") && line.includes("started");
}

// ---------------------------------------------------------------------------------------------
// Clusters

export const MAIN_SERVICES = "show,catalog,pricing,payment,auth";
export const EDGE_SERVICES = "api,admin,tickets,reviews,onsale";

export interface Cluster {
  mains: MarqueeNode[];
  edges: MarqueeNode[];
  namespace: string;
}

/** Starts `mains` main nodes (all domain services; only the first seeds the demo catalog), then
 * `edges` gateway nodes, all on the given NATS and Redis and one namespace. */
export async function startCluster(
  t: ExecutionContext,
  options: { nats: { url: string }; redis: { url: string }; namespace?: string; mains?: number; edges?: number; env?: Record<string, string> },
): Promise<Cluster> {
  const namespace = options.namespace ?? `fault-${process.pid}-${randomId()}`;
  const common = { ...options.env, TRANSPORTER: options.nats.url, REDIS_URL: options.redis.url, NAMESPACE: namespace };
  const mainCount = options.mains ?? 2;
  const edgeCount = options.edges ?? 2;
  const all: MarqueeNode[] = [];
  const mains = await Promise.all(Array.from({ length: mainCount }, (_, i) =>
    startNode(t, { ...common, SERVICES: MAIN_SERVICES, SEED_DEMO: i === 0 ? "true" : "false" }, { name: `main-${i + 1}` })));
  all.push(...mains);
  const edges = await Promise.all(Array.from({ length: edgeCount }, (_, i) =>
    startNode(t, { ...common, SERVICES: EDGE_SERVICES, SEED_DEMO: "false" }, { name: `edge-${i + 1}` })));
  all.push(...edges);
  // Teardowns run last-registered first: this stops every node in parallel before the nodes'
  // own (then no-op) teardowns and before NATS/Redis (started earlier) go away.
  t.teardown(async () => { await Promise.all(all.map((node) => node.stop())); });
  return { mains, edges, namespace };
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface JsonReply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** One HTTP request with a JSON body (if any), bounded by a timeout (default 15 s). The reply
 * body is parsed JSON, or the raw text when it is not JSON. */
export async function httpJson<T = any>(
  url: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<JsonReply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(url + path, { method, headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Asks again (every 250 ms, up to `timeoutMs`) until `done` holds; returns the last reply,
 * a failed request counting as status 0. For waiting on recovery after a fault. */
export async function replyWhen(probe: () => Promise<JsonReply>, done: (r: JsonReply) => boolean, timeoutMs = 30_000): Promise<JsonReply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = await probe().catch((error: unknown) => ({ status: 0, headers: new Headers(), body: String(error) }));
    if (done(reply) || Date.now() > deadline) return reply;
    await sleep(250);
  }
}

/** The demo's shows more than six hours out, once at least `count` are listed (a node seeds after it starts). */
export async function laterShows(url: string, count = 1): Promise<{ id: string; startsAt: string }[]> {
  for (let tries = 0; ; tries++) {
    const listed = await httpJson(url, "GET", "/api/shows").then((r) => r.body, () => null);
    const later = (Array.isArray(listed) ? listed : []).filter((s: { startsAt: string }) => Date.parse(s.startsAt) > Date.now() + 6 * 3_600_000);
    if (later.length >= count) return later;
    if (tries > 150) throw new Error(`fewer than ${count} demo shows were ever listed: ${JSON.stringify(listed)}`);
    await sleep(200);
  }
}
