// Starting the local processor for a test, with the official stripe SDK pointed at it, and a
// webhook endpoint that records what it receives.
import type { ExecutionContext } from "ava";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { MemoryStore } from "../../infra/memory-store.ts";
import type { Store } from "../../infra/store.ts";
import { startProcessor, type ProcessorOptions } from "../../processor/server.ts";

export const SECRET_KEY = "sk_test_marquee_processor_0001";
export const PUBLISHABLE_KEY = "pk_test_marquee_processor_0001";
export const WEBHOOK_SECRET = "whsec_marquee_processor_test";

/** The SDK as the adapter configures it; `timeout` (ms) for a client that gives up early. */
export function sdkFor(port: number, key = SECRET_KEY, timeout?: number): Stripe {
  return new Stripe(key, { host: "127.0.0.1", port, protocol: "http", maxNetworkRetries: 0, ...(timeout && { timeout }) });
}

export async function startTestProcessor(t: ExecutionContext, options: Partial<ProcessorOptions> = {}) {
  const store = options.store ?? new MemoryStore();
  const logs: string[] = [];
  const logger = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m) };
  const processor = await startProcessor({ secretKey: SECRET_KEY, publishableKey: PUBLISHABLE_KEY, webhookSecret: WEBHOOK_SECRET, webhookRetryMs: 50, logger, ...options, store });
  t.teardown(() => processor.stop());
  return { processor, store, logs, stripe: sdkFor(processor.port) };
}

export interface Received { body: string; headers: IncomingHttpHeaders }

/**
 * A webhook endpoint. `answer` decides each delivery's status (the n-th delivery, from 0);
 * by default every one gets 200.
 */
export async function startReceiver(t: ExecutionContext, answer: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const accepted: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const delivery = { body: Buffer.concat(chunks).toString("utf8"), headers: req.headers };
    const status = answer(received.length);
    received.push(delivery);
    if (status < 300) accepted.push(delivery);
    res.writeHead(status).end();
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  /** Resolves once `until` holds over what was accepted, or fails after `ms`. */
  async function waitFor(until: (accepted: Received[]) => boolean, ms = 10_000): Promise<Received[]> {
    const deadline = Date.now() + ms;
    while (!until(accepted)) {
      if (Date.now() > deadline) throw new Error(`webhooks: condition not met in ${ms} ms; accepted ${accepted.map((a) => JSON.parse(a.body).type).join(", ")}`);
      await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
    }
    return accepted;
  }
  return { url, received, accepted, waitFor };
}

/** Presses a button of the processor's 3-D Secure page at `url`, as the customer's browser posts its form. */
export async function answerChallenge(url: string, answer: "complete" | "fail"): Promise<void> {
  const page = await fetch(url);
  const text = await page.text();
  const action = /<form method="post" action="([^"]+)"/.exec(text)?.[1];
  const secret = /name="client_secret" value="([^"]+)"/.exec(text)?.[1];
  if (!action || !secret) throw new Error(`the challenge page has no form: ${page.status} ${text.slice(0, 200)}`);
  const res = await fetch(new URL(action, url), { method: "POST", redirect: "manual", body: new URLSearchParams({ client_secret: secret, outcome: answer }) });
  await res.text();
  if (res.status !== 303) throw new Error(`the challenge answered ${res.status}`);
}

export const typesOf = (deliveries: Received[]): string[] => deliveries.map((d) => JSON.parse(d.body).type as string);

/** The store, with every call made to it (its name and arguments: what is written, what is asked) kept as text in `calls`. */
export function recorded(store: Store, calls: string[]): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(`${String(name)} ${JSON.stringify(args)}`);
        return value.apply(target, args);
      };
    },
  });
}

/**
 * The store with every call delayed by 0-2 ms, as a network store would: the memory store
 * answers within one tick, which would serialize requests that race on a real Redis.
 */
export function unhurried(store: Store): Store {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return async (...args: unknown[]) => {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 3)));
        return value.apply(target, args);
      };
    },
  });
}
