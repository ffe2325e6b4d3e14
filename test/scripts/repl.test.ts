// `npm run repl` attaches to a single-process platform over the loopback operator channel, and
// says what to do when there is nothing to attach to.
import test from "ava";
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { freePort } from "../helpers/cluster.ts";
import { startServer } from "../helpers/http.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs scripts/repl.ts with `input` on stdin; resolves with its output once it exits. */
function repl(env: Record<string, string>, input: (write: (line: string) => void, output: () => string) => Promise<void>) {
  const child = spawn(process.execPath, ["scripts/repl.ts"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr.on("data", (chunk: Buffer) => { out += chunk.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const killer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  return (async () => {
    await input((line) => child.stdin.write(`${line}\n`), () => out);
    const code = await exited;
    clearTimeout(killer);
    return { code, out };
  })();
}

const until = async (ok: () => boolean) => { for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 100)); };

test("npm run repl attaches to a running single-process platform and runs operator commands on it", async (t) => {
  t.timeout(60_000);
  const operatorPort = await freePort();
  const api = await startServer(t, { operatorPort });
  const { out } = await repl({ OPERATOR_PORT: String(operatorPort), NAMESPACE: api.marquee.config.namespace, LOG_LEVEL: "off" }, async (write, output) => {
    await until(() => output().includes("operator commands"));
    write("shows --city Mumbai --limit 2");
    await until(() => /shows, first 2 listed/.test(output()));
    write("quit");
  });
  t.regex(out, new RegExp(`attached to node ${api.marquee.broker.nodeID}`));
  t.regex(out, /show-\S+\s+.*Mumbai\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}\s+0\/\d+ booked/);
});

test("the platform's end of the operator channel listens on 127.0.0.1 only", async (t) => {
  const api = await startServer(t, { operatorPort: await freePort() });
  const reader = (api.marquee.broker.transit!.tx as unknown as { reader: { server: { address(): { address: string } } } }).reader;
  t.is(reader.server.address().address, "127.0.0.1");
});

test("with nothing to attach to, npm run repl says how to start or join a platform and exits 1", async (t) => {
  t.timeout(30_000);
  const { code, out } = await repl({ OPERATOR_PORT: String(await freePort()), NAMESPACE: `nobody-${process.pid}` }, async () => undefined);
  t.is(code, 1);
  t.regex(out, /nothing to attach to/);
  t.regex(out, /npm start/);
  t.regex(out, /TRANSPORTER/);
  t.regex(out, /--embedded/);
});

test("a second REPL on a taken operator port says so instead of dying with EADDRINUSE", async (t) => {
  t.timeout(30_000);
  const port = await freePort();
  const holder = createServer().listen(port, "127.0.0.1");
  t.teardown(() => new Promise<void>((resolve) => holder.close(() => resolve())));
  const { code, out } = await repl({ OPERATOR_PORT: String(port) }, async () => undefined);
  t.is(code, 1);
  t.regex(out, new RegExp(`127\\.0\\.0\\.1:${port} is taken: another operator REPL is attached`));
  t.notRegex(out, /^\s+at /m, "no stack trace");
});
