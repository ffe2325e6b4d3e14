// The deployment files: Kubernetes manifests checked against the Kubernetes API schemas
// (kubernetes-models), plus what those schemas cannot know: probes point at ports that exist,
// disruption budgets and services select real pods, the grace period outlasts a shard
// hand-over, every node's environment is one Marquee accepts, and the image holds every file
// `node index.ts` imports.
import test from "ava";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { brokerOptions, readConfig } from "../../moleculer.config.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const K8S = join(ROOT, "deploy/k8s");

interface Manifest { kind: string; apiVersion: string; metadata: { name: string }; spec?: any; data?: Record<string, string> }

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "apps/v1 Deployment": Deployment,
  "v1 ConfigMap": ConfigMap,
  "v1 Service": Service,
  "policy/v1 PodDisruptionBudget": PodDisruptionBudget,
};

const manifests: Manifest[] = readdirSync(K8S).filter((f) => f.endsWith(".yaml")).flatMap((file) =>
  parseAllDocuments(readFileSync(join(K8S, file), "utf8")).map((doc) => doc.toJS() as Manifest));
const deployments = manifests.filter((m) => m.kind === "Deployment");
const config = manifests.find((m) => m.kind === "ConfigMap")!.data!;
const matches = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
/** What a node of this Deployment would read from its environment (secrets with stand-in values). */
const environmentOf = (d: Manifest): Record<string, string> => ({
  ...config, TOKEN_SECRET: "x".repeat(64), ADMIN_PASSWORD: "stand-in", STRIPE_SECRET_KEY: "sk_live_stand_in", STRIPE_PUBLISHABLE_KEY: "pk_live_stand_in", STRIPE_WEBHOOK_SECRET: "whsec_stand_in",
  ...Object.fromEntries(d.spec.template.spec.containers[0].env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value])),
});

test("every Kubernetes manifest is valid against the Kubernetes API schema of its kind", (t) => {
  t.true(manifests.length >= 6);
  for (const manifest of manifests) {
    const Model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
    if (!Model) { t.fail(`no schema for ${manifest.apiVersion} ${manifest.kind}`); continue; }
    t.notThrows(() => new Model(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`);
  }
});

test("the schema check catches a broken manifest", (t) => {
  const broken = structuredClone(deployments[0]!);
  broken.spec.template.spec.containers[0].ports[0].containerPort = "three thousand";
  t.throws(() => new Deployment(broken).validate());
});

test("edge and main Deployments probe readiness and liveness on ports they declare", (t) => {
  t.deepEqual(deployments.map((d) => d.metadata.name).sort(), ["marquee-edge", "marquee-main"]);
  for (const d of deployments) {
    const container = d.spec.template.spec.containers[0];
    const ports = container.ports.map((p: { name: string }) => p.name);
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      t.truthy(container[probe]?.httpGet, `${d.metadata.name} has an HTTP ${probe}`);
      t.true(ports.includes(container[probe].httpGet.port), `${d.metadata.name} ${probe} uses a declared port`);
    }
    t.true(d.spec.template.spec.securityContext.runAsNonRoot);
  }
});

test("a stopping node gets longer than a shard hand-over before it is killed", (t) => {
  // A hand-over drains the shard's mailboxes (each command bounded by the request timeout) and
  // releases the lease; the edge also waits in preStop first.
  const requestTimeoutS = brokerOptions(readConfig({})).requestTimeout! / 1000;
  for (const d of deployments) t.true(d.spec.template.spec.terminationGracePeriodSeconds >= 2 * requestTimeoutS + 10, d.metadata.name);
});

test("each Deployment has a PodDisruptionBudget, and the Service selects the edge pods", (t) => {
  const budgets = manifests.filter((m) => m.kind === "PodDisruptionBudget");
  for (const d of deployments) {
    t.true(budgets.some((b) => matches(b.spec.selector.matchLabels, d.spec.template.metadata.labels)), `${d.metadata.name} has a budget`);
  }
  const service = manifests.find((m) => m.kind === "Service")!;
  const edge = deployments.find((d) => matches(service.spec.selector, d.spec.template.metadata.labels));
  t.is(edge?.metadata.name, "marquee-edge");
  t.true(edge!.spec.template.spec.containers[0].ports.some((p: { name: string }) => p.name === service.spec.ports[0].targetPort));
});

test("every node's environment is one Marquee accepts, with NATS and Redis external", (t) => {
  for (const d of deployments) {
    const cfg = readConfig(environmentOf(d));
    t.truthy(cfg.transporter);
    t.truthy(cfg.redisUrl);
    t.is(d.metadata.name === "marquee-edge", cfg.services.includes("api"));
  }
  const all = new Set(deployments.flatMap((d) => readConfig(environmentOf(d)).services));
  t.deepEqual([...all].sort(), ["admin", "api", "auth", "catalog", "payment", "pricing", "show"]);
});

test("compose runs NATS, Redis with fsync on every write, two main and two edge nodes", (t) => {
  const compose = parse(readFileSync(join(ROOT, "compose.yaml"), "utf8"), { merge: true });
  t.deepEqual(compose.services.redis.command, ["redis-server", "--appendonly", "yes", "--appendfsync", "always"]);
  t.truthy(compose.services.nats.image);
  for (const name of ["main", "edge"]) {
    t.is(compose.services[name].deploy.replicas, 2, name);
    const cfg = readConfig(withDefaults(compose.services[name].environment));
    t.is(cfg.transporter, "nats://nats:4222");
    t.is(cfg.redisUrl, "redis://redis:6379");
  }
});

/** A compose environment as compose fills it in with nothing set: ${NAME:-default} becomes default. */
const withDefaults = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, "$1")]));

/** Every file `node index.ts` loads from this repository, following relative imports. */
function runtimeFiles(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const [, spec] of readFileSync(entry, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)) runtimeFiles(resolve(dirname(entry), spec!), seen);
  return seen;
}

test("the image is multi-stage on Node 24, runs as a non-root user with a health check, and holds every file index.ts imports", (t) => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  t.is([...dockerfile.matchAll(/^FROM node:24\S*/gm)].length, 2);
  t.regex(dockerfile, /^USER node$/m);
  t.regex(dockerfile, /^HEALTHCHECK .*scripts\/healthcheck\.ts/m);
  const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
  const needed = new Set([...runtimeFiles(join(ROOT, "index.ts")), ...runtimeFiles(join(ROOT, "scripts/healthcheck.ts"))].map((f) => relative(ROOT, f).split("/")[0]!));
  t.deepEqual([...needed].filter((top) => !copied.includes(top)), []);
});

test("compose's Prometheus scrapes edge nodes with their token and main nodes on their METRICS_PORT", (t) => {
  const compose = parse(readFileSync(join(ROOT, "compose.yaml"), "utf8"), { merge: true });
  const prometheus = parse(readFileSync(join(ROOT, "deploy/prometheus/prometheus.yml"), "utf8"));
  const job = (name: string) => prometheus.scrape_configs.find((j: { job_name: string }) => j.job_name === name);
  const edge = readConfig(withDefaults(compose.services.edge.environment));
  const main = readConfig(withDefaults(compose.services.main.environment));
  t.is(job("marquee-edge").authorization.credentials, edge.metricsToken);
  t.deepEqual(job("marquee-edge").dns_sd_configs[0], { names: ["edge"], type: "A", port: edge.port });
  t.deepEqual(job("marquee-main").dns_sd_configs[0], { names: ["main"], type: "A", port: main.metricsPort });
  t.is(compose.services.grafana.volumes.filter((v: string) => v.startsWith("./deploy/grafana/marquee.json:")).length, 1);
});
