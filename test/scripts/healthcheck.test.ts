import test from "ava";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "../helpers/cluster.ts";
import { startServer } from "../helpers/http.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Runs the health check; asynchronously, so a server in this process can answer it. */
const check = (env: Record<string, string>) => new Promise<{ status: number; stderr: string }>((resolve) => {
  execFile(process.execPath, ["scripts/healthcheck.ts"], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 10_000 }, (error, _stdout, stderr) => {
    resolve({ status: error ? Number(error.code ?? 1) : 0, stderr });
  });
});

test("the container health check passes while the gateway answers and fails, naming the URL, when it does not", async (t) => {
  const api = await startServer(t);
  t.is((await check({ PORT: String(api.marquee.port) })).status, 0);
  const closed = String(await freePort());
  const failed = await check({ PORT: closed });
  t.is(failed.status, 1);
  t.regex(failed.stderr, new RegExp(`http://127\\.0\\.0\\.1:${closed}/api/health`));
});

test("a node without a gateway is checked on METRICS_PORT", async (t) => {
  const port = String(await freePort());
  const failed = await check({ SERVICES: "show,catalog", METRICS_PORT: port });
  t.is(failed.status, 1);
  t.regex(failed.stderr, new RegExp(`:${port}/metrics`));
});
