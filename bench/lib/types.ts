import type { ServerProcess } from './server-process';

export interface ScenarioContext {
  server: ServerProcess;
  /** Unique per run: peer and room ids start with it, so a server can be reused. */
  prefix: string;
  log(message: string): void;
}

export interface Counts {
  /** Notifications / relays / joins that should have arrived. */
  expected: number;
  received: number;
  /** expected − received (never negative; extra arrivals are a problem instead). */
  lost: number;
  /** Error responses, failed connections, missing responses. */
  errors: number;
}

export interface ScenarioOutcome {
  metrics: Record<string, number>;
  counts: Counts;
  /** Anything that went wrong (empty when the run is clean). */
  problems: string[];
  /** The measured phase on the server's monotonic clock (µs), to cut its CPU profile to it. */
  measuredWindowUs?: [number, number];
  /** A phase run in slices: each slice's server CPU (µs), deliveries and p99, in order. */
  perSlice?: SliceSeries;
}

export interface SliceSeries {
  serverCpuUs: number[];
  delivered: number[];
  /** Delivery p99 (ms) of the slice's own deliveries. */
  p99Ms: number[];
}

export function counts(expected: number, received: number, errors: number): Counts {
  return { expected, received, lost: Math.max(0, expected - received), errors };
}

/** Problems for a count check: lost, duplicated or errored. */
export function countProblems(what: string, c: Counts): string[] {
  const problems: string[] = [];
  if (c.received < c.expected) problems.push(`${what}: ${c.expected - c.received} of ${c.expected} lost`);
  if (c.received > c.expected) problems.push(`${what}: ${c.received - c.expected} more than the ${c.expected} expected`);
  if (c.errors > 0) problems.push(`${what}: ${c.errors} errors`);
  return problems;
}
