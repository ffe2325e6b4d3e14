// Starts `node index.ts` as a separate process on a free port, so the load generator and the
// platform do not share an event loop, and stops it when asked.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Redis } from "ioredis";
import { fileURLToPath } from "node:url";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer { url: string; child: ChildProcess; stop(): Promise<void>; kill(): Promise<void> }

/**
 * The server and the load generator fight over the same cores unless told apart: with two or
 * more cores and Linux's taskset, servers get core 0 and the load generator (this process, every
 * thread) the last one, so a round measures the server rather than the scheduler. Answers the
 * core a server should be pinned to, or undefined where pinning is not possible.
 */
export function pinLoadGenerator(): number | undefined {
  if (availableParallelism() < 2) return undefined;
  try {
    execFileSync("taskset", ["-a", "-cp", String(availableParallelism() - 1), String(process.pid)], { stdio: "ignore" });
    return 0;
  } catch {
    return undefined;
  }
}

/**
 * Starts one Marquee node (on `cpu` alone when given, through taskset). A node with the gateway is ready when /api/health answers; a node
 * without it when Moleculer logs that its broker started. `script`: what to run instead of index.ts (a staged node).
 */
export async function startServerProcess(env: Record<string, string>, cpu?: number, script = "index.ts"): Promise<RunningServer> {
  const port = await freePort();
  const root = fileURLToPath(new URL("..", import.meta.url));
  const gateway = !env.SERVICES || env.SERVICES.split(",").includes("api");
  const [command, args] = cpu === undefined ? [process.execPath, [script]] : ["taskset", ["-c", String(cpu), process.execPath, script]];
  const child = spawn(command, args, {
    cwd: root,
    // Several nodes run side by side: each embeds its card processor on a port of its own and
    // opens no operator port (both have fixed defaults, 3001 and 4446).
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: gateway ? "warn" : "info", PROCESSOR_PORT: "0", OPERATOR_PORT: "off", ...env },
    stdio: ["ignore", gateway ? "inherit" : "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let started = false;
  child.stdout?.on("data", (chunk: Buffer) => { if (/ServiceBroker with .* started/.test(chunk.toString())) started = true; });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (!gateway && started) break;
    if (gateway) {
      try {
        if ((await fetch(`${url}/api/health`)).ok) break;
      } catch { /* not listening yet */ }
    }
    if (Date.now() > deadline) { child.kill("SIGKILL"); throw new Error("the node did not start within 30 s"); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url, child,
    stop: () => {
      if (child.exitCode !== null) return Promise.resolve();
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      return exited;
    },
    kill: () => {
      if (child.exitCode !== null) return Promise.resolve();
      child.kill("SIGKILL");
      return exited;
    },
  };
}

/** Deletes every key under a prefix: a benchmark leaves the shared Redis as it found it. */
export async function dropKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = await redis.keys(`${prefix}:*`);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

/** CPU time a process has used, in ms, from /proc (Linux); undefined elsewhere. */
export function cpuMsOf(pid: number): number | undefined {
  const times = cpuTimesOf(pid);
  return times && times.userMs + times.systemMs;
}

/** A process's CPU time so far, ms, in user space and in the kernel (its system calls: TCP, epoll). */
export function cpuTimesOf(pid: number): { userMs: number; systemMs: number } | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime, in 10 ms clock ticks.
    return { userMs: Number(fields[11]) * 10, systemMs: Number(fields[12]) * 10 };
  } catch {
    return undefined;
  }
}
