/**
 * metrics: Prometheus metrics (prom-client) when METRICS_ENABLED, served on /metrics.
 * When disabled, every method is a no-op and nothing is registered.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry | undefined;
  join(): void;
  request(method: string): void;
  error(code: number): void;
  relayed(bytes: number): void;
}

const disabled: Metrics = {
  registry: undefined,
  join() {},
  request() {},
  error() {},
  relayed() {},
};

export function createMetrics(enabled: boolean, counts: { rooms(): number; peers(): number; connections(): number }): Metrics {
  if (!enabled) return disabled;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'confab_process_' });
  new Gauge({ name: 'confab_rooms', help: 'Rooms with at least one participant', registers: [registry], collect() { this.set(counts.rooms()); } });
  new Gauge({ name: 'confab_peers', help: 'Participants in rooms (connected or reconnecting)', registers: [registry], collect() { this.set(counts.peers()); } });
  new Gauge({ name: 'confab_connections', help: 'Open signaling connections', registers: [registry], collect() { this.set(counts.connections()); } });
  const joins = new Counter({ name: 'confab_joins_total', help: 'Successful joins (resumes included)', registers: [registry] });
  const requests = new Counter({ name: 'confab_requests_total', help: 'Signaling requests by method', labelNames: ['method'], registers: [registry] });
  const errors = new Counter({ name: 'confab_errors_total', help: 'Error responses by code', labelNames: ['code'], registers: [registry] });
  const relayed = new Counter({ name: 'confab_relayed_bytes_total', help: 'Bytes of WebRTC signals relayed between peers', registers: [registry] });
  // Label children are cached so the hot path does no label lookup.
  const byMethod = new Map<string, Counter.Internal>();
  const byCode = new Map<number, Counter.Internal>();
  return {
    registry,
    join: () => joins.inc(),
    request(method) {
      let child = byMethod.get(method);
      if (!child) byMethod.set(method, (child = requests.labels(method)));
      child.inc();
    },
    error(code) {
      let child = byCode.get(code);
      if (!child) byCode.set(code, (child = errors.labels(String(code))));
      child.inc();
    },
    relayed: (bytes) => relayed.inc(bytes),
  };
}
