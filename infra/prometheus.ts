// Moleculer's Prometheus reporter, able to run without an HTTP server of its own: a gateway node
// serves the text at GET /metrics on its own port, and only a node without a gateway (a main
// node) needs METRICS_PORT, where Moleculer's reporter listens as usual.
import { MetricReporters, type MetricRegistry, type ServiceBroker } from "moleculer";

export class PrometheusReporter extends MetricReporters.Prometheus {
  readonly #listen: boolean;

  /** `port` undefined: no server; the text is read through prometheusText(). */
  constructor(port: number | undefined) {
    super(port === undefined ? {} : { port });
    this.#listen = port !== undefined;
  }

  init(registry: MetricRegistry): void {
    if (this.#listen) return super.init(registry);
    MetricReporters.Base.prototype.init.call(this, registry);
    // What Prometheus.init sets besides its server: every series names its node and namespace.
    (this as unknown as { defaultLabels: unknown }).defaultLabels = { namespace: registry.broker.namespace, nodeID: registry.broker.nodeID };
  }

  stop(): Promise<void> {
    return this.#listen ? super.stop() : Promise.resolve();
  }
}

/** This node's metrics in Prometheus' text format, or undefined when metrics are off. */
export function prometheusText(broker: ServiceBroker): string | undefined {
  if (!broker.isMetricsEnabled()) return undefined;
  const reporter = broker.metrics.reporter?.find((r) => r instanceof PrometheusReporter);
  return reporter?.generatePrometheusResponse();
}
