// An open-loop HTTP load generator: requests arrive on a fixed schedule (a constant arrival rate),
// whatever the server is doing, as customers do. A closed-loop tool such as autocannon sends a
// connection's next request only after its previous answer, so a slow server slows the load it is
// offered and every answer waits behind the connections' own queue (Little's law: 1,000
// connections at ~2,000 answers/s is ~0.5 s each, shed or not). Here a request's latency is
// counted from the moment it was due, so time spent waiting for a free connection counts too
// (no coordinated omission, as wrk2 measures). Raw keep-alive sockets keep the generator's own
// cost per request small; a request that finds every connection busy opens another.
import { connect, type Socket } from "node:net";

export interface Answer {
  status: number;
  /** Due time to the end of the answer, ms. */
  ms: number;
  /** Due time to the request's first byte on the wire, ms: the generator's own queue. */
  waitedMs: number;
  retryAfter: boolean;
  /** When the answer came, ms after the first request was due: goodput counts the answers within the offered seconds. */
  at: number;
}

export interface OpenLoopOptions {
  url: string;
  /** Requests per second, spread evenly. */
  rate: number;
  seconds: number;
  /** The next request, whole (request line, headers, body). */
  next: () => Buffer;
  /** Connections opened before the first request; more are opened as requests find all busy. */
  warmConnections?: number;
  /**
   * Sent once on every warm connection before the schedule starts, so the server has accepted
   * them all: a connection the kernel has completed but the server not yet accepted waits behind
   * its load (libuv accepts one connection each time it polls the listening socket).
   */
  warmRequest?: Buffer;
  maxConnections?: number;
  /** Answers still missing this long after the schedule ended count as timeouts. */
  graceMs?: number;
}

export interface OpenLoopResult { answers: Answer[]; timeouts: number; errors: number; connections: number }

/** A request line and headers for a JSON body, as raw bytes. */
export function rawRequest(method: string, path: string, headers: Record<string, string>, body?: string): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, "Host: bench", ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body !== undefined) lines.push("Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body ?? ""}`);
}

const HEAD_END = Buffer.from("\r\n\r\n");

/** One keep-alive connection: one request at a time, answers parsed just enough (status, length, Retry-After). */
class Connection {
  readonly socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: ((status: number, retryAfter: boolean) => void) | undefined;
  #ready: Promise<void>;
  dead = false;

  constructor(port: number, host: string, onDead: (c: Connection) => void) {
    this.socket = connect({ port, host, noDelay: true });
    this.#ready = new Promise((resolve) => this.socket.once("connect", resolve));
    this.socket.on("data", (chunk: Buffer) => this.#read(chunk));
    const die = () => {
      if (this.dead) return;
      this.dead = true;
      onDead(this);
    };
    this.socket.on("error", die);
    this.socket.on("close", die);
  }

  get ready(): Promise<void> { return this.#ready; }

  send(request: Buffer, onAnswer: (status: number, retryAfter: boolean) => void): void {
    this.#pending = onAnswer;
    this.socket.write(request);
  }

  /** Fails the request in flight, if any (the connection died under it). */
  fail(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    pending?.(0, false);
  }

  #read(chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    for (;;) {
      const headEnd = this.#buffer.indexOf(HEAD_END);
      if (headEnd < 0) return;
      const head = this.#buffer.toString("latin1", 0, headEnd);
      const length = /\r\ncontent-length: *(\d+)/i.exec(head);
      let end: number;
      if (length) end = headEnd + 4 + Number(length[1]);
      else if (/\r\ntransfer-encoding: *chunked/i.test(head)) {
        const last = this.#buffer.indexOf("\r\n0\r\n\r\n", headEnd + 2);
        if (last < 0) return;
        end = last + 7;
      } else end = headEnd + 4;
      if (this.#buffer.length < end) return;
      this.#buffer = this.#buffer.subarray(end);
      const pending = this.#pending;
      this.#pending = undefined;
      pending?.(Number(head.slice(9, 12)), /\r\nretry-after:/i.test(head));
    }
  }
}

/** Offers `rate` requests a second for `seconds`, open loop, and collects every answer. */
export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { hostname, port } = new URL(options.url);
  const maxConnections = options.maxConnections ?? 10_000;
  const idle: Connection[] = [];
  const all = new Set<Connection>();
  const waiting: { due: number; request: Buffer }[] = [];
  const answers: Answer[] = [];
  let errors = 0;
  let outstanding = 0;
  const onDead = (c: Connection) => {
    all.delete(c);
    const at = idle.indexOf(c);
    if (at >= 0) idle.splice(at, 1);
    c.fail();
  };
  const open = () => {
    const c = new Connection(Number(port), hostname, onDead);
    all.add(c);
    return c;
  };
  const warm = Array.from({ length: options.warmConnections ?? 64 }, open);
  await Promise.all(warm.map((c) => c.ready));
  if (options.warmRequest) {
    const request = options.warmRequest;
    await Promise.all(warm.filter((c) => !c.dead).map((c) => new Promise<void>((resolve) => c.send(request, () => resolve()))));
  }
  idle.push(...warm.filter((c) => !c.dead));

  const start = performance.now();
  const dispatch = (c: Connection, due: number, request: Buffer) => {
    const waitedMs = performance.now() - due;
    c.send(request, (status, retryAfter) => {
      outstanding -= 1;
      if (status === 0) errors += 1;
      else answers.push({ status, ms: performance.now() - due, waitedMs, retryAfter, at: performance.now() - start });
      if (c.dead) return;
      const queued = waiting.shift();
      if (queued) dispatch(c, queued.due, queued.request);
      else idle.push(c);
    });
  };
  const offer = (due: number) => {
    outstanding += 1;
    const request = options.next();
    // Oldest idle first: every connection keeps being used, so none idles past the server's
    // keep-alive timeout (5 s) and is replaced mid-run by a fresh one the node has to accept.
    const c = idle.shift();
    if (c) return dispatch(c, due, request);
    if (all.size < maxConnections) {
      const fresh = open();
      void fresh.ready.then(() => dispatch(fresh, due, request));
      return;
    }
    waiting.push({ due, request });
  };

  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + sent * interval <= now) offer(start + interval * sent++);
      if (sent >= total) return resolve();
      // Node's timers tick by the millisecond: arrivals come in bursts of rate/1000, not spread finer.
      setTimeout(tick, 1);
    };
    tick();
  });
  const deadline = performance.now() + (options.graceMs ?? 10_000);
  while (outstanding > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const timeouts = outstanding;
  const connections = all.size;
  for (const c of all) c.socket.destroy();
  return { answers, timeouts, errors, connections };
}

/**
 * Closed loop, for a server's best rate: `connections` requests always in flight, each sent as
 * the previous one on its connection is answered. Same client, so its cost is in both numbers.
 */
export async function closedLoop(options: { url: string; connections: number; seconds: number; next: () => Buffer }): Promise<OpenLoopResult> {
  const { hostname, port } = new URL(options.url);
  const answers: Answer[] = [];
  let errors = 0;
  let inFlight = 0;
  const connections = Array.from({ length: options.connections }, () => new Connection(Number(port), hostname, (c) => c.fail()));
  await Promise.all(connections.map((c) => c.ready));
  const start = performance.now();
  const end = start + options.seconds * 1000;
  const fire = (c: Connection) => {
    if (c.dead || performance.now() >= end) return;
    const sentAt = performance.now();
    inFlight += 1;
    c.send(options.next(), (status, retryAfter) => {
      inFlight -= 1;
      if (status === 0) errors += 1;
      else answers.push({ status, ms: performance.now() - sentAt, waitedMs: 0, retryAfter, at: performance.now() - start });
      fire(c);
    });
  };
  connections.forEach(fire);
  while (performance.now() < end + 10_000 && (performance.now() < end || inFlight > 0)) await new Promise((r) => setTimeout(r, 20));
  for (const c of connections) c.socket.destroy();
  return { answers, timeouts: inFlight, errors, connections: connections.length };
}
