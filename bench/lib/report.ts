/**
 * The report: medians over repetitions per (scenario, server, metric), Confab's ratio to
 * each other server, the targets' pass/fail (on the medians) with the ratio's spread over
 * the repetitions, as data and as markdown. When Confab's twin ran, each target also gets
 * Confab over its twin: the same server twice, so what the host's noise alone does.
 */
import type { ScenarioKind, ScenarioSpec, Target } from '../config';
import { median, percentile } from './stats';
import type { ServerKind } from './server-process';
import type { RunRecord } from './suite';
import type { SliceSeries } from './types';

interface MetricInfo {
  key: string;
  label: string;
  /** Multiplier from the stored value to the shown one. */
  scale?: number;
  digits: number;
}

/** The metrics shown per scenario kind (every metric is still in the JSON). */
export const SHOWN_METRICS: Record<ScenarioKind, MetricInfo[]> = {
  fanout: [
    { key: 'deliveredPerSec', label: 'delivered notifications/s', digits: 0 },
    { key: 'p50Ms', label: 'delivery p50 (ms)', digits: 2 },
    { key: 'p99Ms', label: 'delivery p99 (ms)', digits: 2 },
    { key: 'cpuUsPerMsg', label: 'server CPU µs / delivered msg', digits: 2 },
    { key: 'serverCpuPct', label: 'server CPU %', digits: 0 },
    { key: 'generatorCpuPct', label: 'load generator CPU %', digits: 0 },
  ],
  relay: [
    { key: 'relaysPerSec', label: 'relays/s', digits: 0 },
    { key: 'p50Ms', label: 'relay p50 (ms)', digits: 2 },
    { key: 'p99Ms', label: 'relay p99 (ms)', digits: 2 },
    { key: 'cpuUsPerRelay', label: 'server CPU µs / relay', digits: 2 },
    { key: 'serverCpuPct', label: 'server CPU %', digits: 0 },
    { key: 'generatorCpuPct', label: 'load generator CPU %', digits: 0 },
  ],
  idle: [
    { key: 'joinAllMs', label: 'connect+join all (ms)', digits: 0 },
    { key: 'joinP99Ms', label: 'connect+join p99 (ms)', digits: 1 },
    { key: 'rssBytesPerPeer', label: 'server RSS KiB / peer', scale: 1 / 1024, digits: 2 },
    { key: 'heapBytesPerPeer', label: 'server heap KiB / peer', scale: 1 / 1024, digits: 2 },
  ],
  'join-storm': [
    { key: 'joinsPerSec', label: 'joins/s', digits: 0 },
    { key: 'joinP50Ms', label: 'connect+join p50 (ms)', digits: 1 },
    { key: 'joinP99Ms', label: 'connect+join p99 (ms)', digits: 1 },
    { key: 'cpuUsPerJoin', label: 'server CPU µs / connect+join', digits: 0 },
  ],
};

export interface SummaryRow {
  scenario: string;
  metric: string;
  label: string;
  /** Median over repetitions, per server (stored units). */
  medians: Partial<Record<ServerKind, number>>;
  confabOverProtoo: number;
  confabOverWs: number;
}

export interface TargetResult extends Target {
  confab: number;
  referenceValue: number;
  ratio: number;
  pass: boolean | undefined;
  /**
   * Confab over the reference within each repetition (the two ran minutes apart at most):
   * how much the ratio moves from one repetition to the next, and how many were in the limit.
   */
  perRepetition: { min: number; max: number; within: number; count: number } | undefined;
  /**
   * For CPU per unit and p99 in a scenario run in slices: Confab over the reference in each
   * pair of slices that ran side by side (the same round of turns, a second or two apart),
   * over all repetitions: the median and the middle half. A spell when the host was slow
   * for a second or two weighs on one pair here, where it weighs on a whole repetition.
   */
  perSlice: { median: number; q1: number; q3: number; count: number } | undefined;
  /**
   * When the twin ran: Confab over its twin, the same server, on the target's metric (the
   * ratio of medians and its range over the repetitions). A target's ratio is only worth
   * reading where it lies farther from 1 than this one does.
   */
  twin: { ratio: number; min: number; max: number; count: number } | undefined;
}

/** A metric's value in each slice (or batch of joins) of a run: CPU per delivery or join, and p99. */
function sliceValues(series: SliceSeries, metric: string): number[] | undefined {
  if (metric === 'cpuUsPerMsg' || metric === 'cpuUsPerRelay' || metric === 'cpuUsPerJoin') return series.serverCpuUs.map((cpuUs, k) => cpuUs / series.delivered[k]!);
  if (metric === 'p99Ms') return series.p99Ms;
  return undefined;
}

export interface LossRow {
  scenario: string;
  server: ServerKind;
  expected: number;
  lost: number;
  errors: number;
  failedRuns: number;
}

export function medianOf(records: RunRecord[], scenario: string, server: ServerKind, metric: string): number {
  return median(records.filter((r) => r.scenario === scenario && r.server === server && !r.error).map((r) => r.metrics[metric] ?? Number.NaN));
}

export function summarize(records: RunRecord[], scenarios: ScenarioSpec[], servers: ServerKind[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const spec of scenarios) {
    const keys = new Set<string>();
    for (const record of records) if (record.scenario === spec.id) for (const key of Object.keys(record.metrics)) keys.add(key);
    for (const key of keys) {
      const medians: SummaryRow['medians'] = {};
      for (const server of servers) medians[server] = medianOf(records, spec.id, server, key);
      const shown = SHOWN_METRICS[spec.kind].find((metric) => metric.key === key);
      rows.push({
        scenario: spec.id,
        metric: key,
        label: shown?.label ?? key,
        medians,
        confabOverProtoo: (medians.confab ?? Number.NaN) / (medians.protoo ?? Number.NaN),
        confabOverWs: (medians.confab ?? Number.NaN) / (medians.ws ?? Number.NaN),
      });
    }
  }
  return rows;
}

export function evaluateTargets(records: RunRecord[], targets: Target[]): TargetResult[] {
  return targets.map((target) => {
    const confab = medianOf(records, target.scenario, 'confab', target.metric);
    const referenceValue = medianOf(records, target.scenario, target.reference, target.metric);
    const ratio = confab / referenceValue;
    const known = Number.isFinite(confab) && Number.isFinite(referenceValue);
    // A reference at (or below) zero: pass only when confab is not above it.
    const pass = !known ? undefined : referenceValue > 0 ? ratio <= target.maxRatio : confab <= referenceValue;
    return { ...target, confab, referenceValue, ratio, pass, perRepetition: perRepetition(records, target), perSlice: perSlice(records, target), twin: againstTwin(records, target, confab) };
  });
}

/** Confab (its median `confab`) over its twin on the target's metric, when the twin ran. */
function againstTwin(records: RunRecord[], target: Target, confab: number): TargetResult['twin'] {
  const each = perRepetition(records, { ...target, reference: 'twin' });
  if (!each) return undefined;
  const ratio = confab / medianOf(records, target.scenario, 'twin', target.metric);
  return { ratio, min: each.min, max: each.max, count: each.count };
}

/** The record of `server` in the same repetition of the same scenario, when it ran without error. */
function partner(records: RunRecord[], of: RunRecord, server: ServerKind): RunRecord | undefined {
  return records.find((r) => r.scenario === of.scenario && r.server === server && r.rep === of.rep && !r.error);
}

function perSlice(records: RunRecord[], target: Target): TargetResult['perSlice'] {
  const ratios: number[] = [];
  for (const record of records) {
    if (record.scenario !== target.scenario || record.server !== 'confab' || record.error || !record.perSlice) continue;
    const reference = partner(records, record, target.reference)?.perSlice;
    const mine = sliceValues(record.perSlice, target.metric);
    const theirs = reference && sliceValues(reference, target.metric);
    if (!mine || !theirs) continue;
    for (let k = 0; k < Math.min(mine.length, theirs.length); k++) {
      if (Number.isFinite(mine[k]) && Number.isFinite(theirs[k]) && theirs[k]! > 0) ratios.push(mine[k]! / theirs[k]!);
    }
  }
  if (ratios.length === 0) return undefined;
  return { median: median(ratios), q1: percentile(ratios, 25), q3: percentile(ratios, 75), count: ratios.length };
}

function perRepetition(records: RunRecord[], target: Target): TargetResult['perRepetition'] {
  const ratios: number[] = [];
  for (const record of records) {
    if (record.scenario !== target.scenario || record.server !== 'confab' || record.error) continue;
    const confab = record.metrics[target.metric];
    const reference = partner(records, record, target.reference)?.metrics[target.metric];
    if (confab !== undefined && reference !== undefined && reference > 0) ratios.push(confab / reference);
  }
  if (ratios.length === 0) return undefined;
  return { min: Math.min(...ratios), max: Math.max(...ratios), within: ratios.filter((r) => r <= target.maxRatio).length, count: ratios.length };
}

export function losses(records: RunRecord[], scenarios: ScenarioSpec[], servers: ServerKind[]): LossRow[] {
  const rows: LossRow[] = [];
  for (const spec of scenarios) {
    for (const server of servers) {
      const runs = records.filter((r) => r.scenario === spec.id && r.server === server);
      if (runs.length === 0) continue;
      rows.push({
        scenario: spec.id,
        server,
        expected: runs.reduce((sum, r) => sum + r.counts.expected, 0),
        lost: runs.reduce((sum, r) => sum + r.counts.lost, 0),
        errors: runs.reduce((sum, r) => sum + r.counts.errors, 0),
        failedRuns: runs.filter((r) => r.error !== undefined).length,
      });
    }
  }
  return rows;
}

/** Closed-loop runs where neither side was busy: the machine was busy with something else. */
export function starvedRuns(runs: RunRecord[]): string[] {
  return runs
    .filter((run) => run.metrics.saturating === 1 && (run.metrics.measuredMs ?? 0) >= 1000)
    .filter((run) => Math.max(run.metrics.serverCpuPct ?? 0, run.metrics.generatorCpuPct ?? 0) < 80)
    .map((run) => `${run.scenario}/${run.server}/rep${run.rep}`);
}

function format(value: number | undefined, digits: number, scale = 1): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  return (value * scale).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');

export function markdown(
  rows: SummaryRow[],
  targets: TargetResult[],
  lossRows: LossRow[],
  scenarios: ScenarioSpec[],
  servers: ServerKind[],
  reps: number,
  runs: RunRecord[] = [],
): string {
  const lines: string[] = [];
  const others = servers.filter((server) => server !== 'confab');
  lines.push(`| scenario | metric (median of ${reps}) | ${servers.join(' | ')} | ${others.map((server) => `confab/${server}`).join(' | ')} |`);
  lines.push(`| --- | --- | ${servers.map(() => '---:').join(' | ')} | ${others.map(() => '---:').join(' | ')} |`);
  for (const spec of scenarios) {
    for (const metric of SHOWN_METRICS[spec.kind]) {
      const row = rows.find((r) => r.scenario === spec.id && r.metric === metric.key);
      if (!row) continue;
      const values = servers.map((server) => format(row.medians[server], metric.digits, metric.scale));
      const ratios = others.map((server) => ratio((row.medians.confab ?? Number.NaN) / (row.medians[server] ?? Number.NaN)));
      lines.push(`| ${spec.id} | ${metric.label} | ${values.join(' | ')} | ${ratios.join(' | ')} |`);
    }
  }
  const twin = targets.some((target) => target.twin !== undefined);
  lines.push('');
  lines.push(`| target | confab | reference | ratio | limit | result | per repetition | per slice |${twin ? ' confab/twin (noise) |' : ''}`);
  lines.push(`| --- | ---: | ---: | ---: | ---: | --- | --- | --- |${twin ? ' --- |' : ''}`);
  for (const target of targets) {
    const result = target.pass === undefined ? 'n/a' : target.pass ? 'PASS' : 'FAIL';
    const each = target.perRepetition;
    const spread = each ? `${ratio(each.min)}–${ratio(each.max)}, ${each.within} of ${each.count} within` : '–';
    const slices = target.perSlice;
    const sliced = slices ? `median ${ratio(slices.median)}, middle half ${ratio(slices.q1)}–${ratio(slices.q3)} (${slices.count} pairs)` : '–';
    const noise = target.twin ? ` ${ratio(target.twin.ratio)}, per repetition ${ratio(target.twin.min)}–${ratio(target.twin.max)} |` : twin ? ' – |' : '';
    lines.push(
      `| ${target.name} | ${format(target.confab, 2)} | ${format(target.referenceValue, 2)} (${target.reference}) | ${ratio(target.ratio)} | ≤ ${target.maxRatio.toFixed(2)}× | ${result} | ${spread} | ${sliced} |${noise}`,
    );
  }
  const starved = starvedRuns(runs);
  if (starved.length > 0) {
    lines.push('');
    lines.push(
      `Starved runs (saturation scenario, but neither the server nor the load generator got 80% of a core: other load on the machine): ${starved.join(', ')}. Their throughput and latency say little; CPU per message is still the server's own.`,
    );
  }
  const bad = lossRows.filter((row) => row.lost > 0 || row.errors > 0 || row.failedRuns > 0);
  lines.push('');
  if (bad.length === 0) {
    lines.push(`Nothing lost: every expected notification, relay and join arrived (${lossRows.reduce((sum, row) => sum + row.expected, 0).toLocaleString('en-US')} in all).`);
  } else {
    for (const row of bad) lines.push(`- ${row.scenario} on ${row.server}: ${row.lost} of ${row.expected} lost, ${row.errors} errors, ${row.failedRuns} failed runs`);
  }
  return lines.join('\n');
}
