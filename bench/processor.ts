// The local processor under the official SDK: payments (create with confirm=true, each with
// the SDK's own Idempotency-Key) per second, one at a time and 20 in flight, on the memory
// store; and how long one takes (median, p99). Not part of `npm run bench` yet.
import Stripe from "stripe";
import { MemoryStore } from "../infra/memory-store.ts";
import { startProcessor } from "../processor/server.ts";

const PAYMENTS = Number(process.env.BENCH_PROCESSOR_PAYMENTS ?? 2_000);
const processor = await startProcessor({ store: new MemoryStore(), secretKey: "sk_test_bench", publishableKey: "pk_test_bench" });
const stripe = new Stripe("sk_test_bench", { host: "127.0.0.1", port: processor.port, protocol: "http", maxNetworkRetries: 0 });

async function run(inFlight: number) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => {
    while (next++ < PAYMENTS) {
      const t0 = performance.now();
      await stripe.paymentIntents.create({ amount: 1_000, currency: "eur", payment_method: "pm_card_visa", confirm: true });
      times.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
  console.log(`processor: ${inFlight} in flight: ${(PAYMENTS / seconds).toFixed(0)} payments/s, median ${at(0.5)} ms, p99 ${at(0.99)} ms (${PAYMENTS} payments)`);
}

await run(1);
await run(20);
await processor.stop();
