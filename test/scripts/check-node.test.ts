import test from "ava";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Runs scripts/check-node.mjs as if the running Node reported `version`. */
function checkAs(version: string) {
  const pretend = `data:text/javascript,Object.defineProperty(process.versions,"node",{value:"${version}"});Object.defineProperty(process,"version",{value:"v${version}"})`;
  return spawnSync(process.execPath, ["--import", pretend, "scripts/check-node.mjs"], { cwd: ROOT, encoding: "utf8" });
}

test("an npm script on Node 20 stops with one line naming the Node it needs", (t) => {
  const run = checkAs("20.20.2");
  t.is(run.status, 1);
  const lines = run.stderr.trim().split("\n");
  t.is(lines.length, 1);
  t.regex(lines[0]!, /needs Node\.js 22\.18 or newer \(24 recommended\), but this is v20\.20\.2/);
  t.regex(lines[0]!, /npm ci/);
});

test("Node 22 before type stripping was unflagged is refused too", (t) => {
  t.is(checkAs("22.12.0").status, 1);
});

test("Node 22.18 and Node 24 pass silently", (t) => {
  for (const version of ["22.18.0", "24.21.0"]) {
    const run = checkAs(version);
    t.is(run.status, 0, version);
    t.is(run.stderr, "");
  }
});
