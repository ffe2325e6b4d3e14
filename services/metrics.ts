// Marquee's own metrics, beside Moleculer's (moleculer_request_*, process_*, ...). Each is
// registered on first use, so any broker (tests build their own) can record them; all are
// registered when the platform starts, so Prometheus sees them from the first scrape.
import type { ServiceBroker } from "moleculer";

const DEFINITIONS = {
  "marquee.holds.total": { type: "counter", description: "Holds placed (seats held for a customer)" },
  "marquee.hold.conflicts.total": { type: "counter", labelNames: ["reason"], zeros: { reason: ["held", "booked", "unknown", "not_for_sale"] }, description: "Holds refused because a seat was held, booked, unknown or not for sale (one per reason per refused hold)" },
  "marquee.bookings.total": { type: "counter", description: "Bookings confirmed" },
  "marquee.bookings.cancelled.total": { type: "counter", description: "Bookings cancelled" },
  "marquee.revenue.total": { type: "counter", labelNames: ["currency"], unit: "minor units", description: "Amount of confirmed bookings, in minor units" },
  "marquee.refunds.total": { type: "counter", labelNames: ["currency", "reason"], description: "Refunds made" },
  "marquee.refunds.amount.total": { type: "counter", labelNames: ["currency", "reason"], unit: "minor units", description: "Amount refunded, in minor units" },
  "marquee.payments.total": { type: "counter", labelNames: ["status"], description: "Payment attempts the processor answered, by outcome (succeeded, failed, requires_action)" },
  "marquee.payment.webhooks.total": { type: "counter", labelNames: ["type"], description: "Processor webhook events applied, by event type" },
  "marquee.show.actors.active": { type: "gauge", description: "Show actors in memory on this node" },
  "marquee.show.mailbox.depth": { type: "gauge", description: "Commands waiting in the mailboxes of this node's show actors" },
  "marquee.show.batch.size": { type: "histogram", buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], description: "Commands decided together and stored in one write" },
  "marquee.shards.owned": { type: "gauge", description: "Show shards whose lease this node holds" },
  "marquee.lease.moves.total": { type: "counter", labelNames: ["change"], zeros: { change: ["acquired", "handed_over", "lost"] }, description: "Shard leases this node acquired, handed over or lost" },
  "marquee.sse.watchers": { type: "gauge", description: "Open live seat-map streams (server-sent events) on this gateway" },
  "marquee.admission.accepted.total": { type: "counter", labelNames: ["class"], zeros: { class: ["write", "read"] }, description: "HTTP requests the gateway's load shedding let in, per class" },
  "marquee.admission.shed.total": { type: "counter", labelNames: ["class"], zeros: { class: ["write", "read"] }, description: "HTTP requests refused with 503 OVERLOADED, per class" },
  "marquee.admission.limit": { type: "gauge", labelNames: ["class"], description: "Requests of a class the gateway lets in at once right now (follows the event-loop delay)" },
  "marquee.eventloop.delay": { type: "histogram", unit: "ms", buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], quantiles: [0.5, 0.9, 0.99, 1], maxAgeSeconds: 10, description: "How late a timer due every 10 ms fires: how long any socket waits to be read (quantiles over the last 10 s)" },
} as const;

export type MarqueeMetric = keyof typeof DEFINITIONS;
type Labels = Record<string, string>;

function ready(broker: ServiceBroker, name: MarqueeMetric): boolean {
  if (!broker.isMetricsEnabled()) return false;
  if (broker.metrics.getMetric(name)) return true;
  const { zeros, ...definition } = DEFINITIONS[name] as { zeros?: Record<string, string[]>; type: string; labelNames?: readonly string[] };
  broker.metrics.register({ name, ...definition } as never);
  // Counters start at 0, so a rate over the first increment is not lost and dashboards show 0, not "no data".
  if (definition.type === "counter" && !definition.labelNames) broker.metrics.increment(name, undefined, 0);
  for (const [label, values] of Object.entries(zeros ?? {})) for (const value of values) broker.metrics.increment(name, { [label]: value }, 0);
  return true;
}

export function registerMetrics(broker: ServiceBroker): void {
  for (const name of Object.keys(DEFINITIONS) as MarqueeMetric[]) ready(broker, name);
}

export function count(broker: ServiceBroker, name: MarqueeMetric, labels?: Labels, by = 1): void {
  if (ready(broker, name)) broker.metrics.increment(name, labels, by);
}

export function gauge(broker: ServiceBroker, name: MarqueeMetric, value: number, labels?: Labels): void {
  if (ready(broker, name)) broker.metrics.set(name, value, labels);
}

export function observe(broker: ServiceBroker, name: MarqueeMetric, value: number, labels?: Labels): void {
  if (ready(broker, name)) broker.metrics.observe(name, value, labels);
}
