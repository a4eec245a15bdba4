/**
 * The browser benchmark's report: summaries of the raw samples, the targets with
 * pass/fail, and the text tables printed to stdout.
 */
import { summarizeJoins, type JoinSample, type PhaseSummary } from './join';
import type { MeshResult } from './mesh';
import { kB, type LoadSample, type ScriptSample, type ScriptTotals } from './pageLoad';
import { median, percentile } from '../lib/stats';

export interface LoadSummary {
  loads: number;
  loadEventEnd: { median: number; p90: number };
  domContentLoaded: { median: number };
  /** All scripts, and those finished by the load event. */
  scripts: ScriptTotals;
  byLoadEvent: ScriptTotals;
  document: { transferSize: number; encodedBodySize: number; decodedBodySize: number; contentEncoding: string | null };
  /** Content-Encoding values the scripts were served with ("identity" for none). */
  scriptEncodings: string[];
  compressed: boolean;
  /** The biggest scripts (by bytes transferred) of the last load. */
  topScripts: ScriptSample[];
}

export interface Target {
  what: string;
  limit: string;
  measured: string;
  pass: boolean;
}

export function summarizeLoads(samples: readonly LoadSample[]): LoadSummary {
  const measured = samples.filter((sample) => !sample.warmup);
  const last = measured.at(-1);
  if (!last) throw new Error('no page loads measured');
  const of = (pick: (sample: LoadSample) => number): number => median(measured.map(pick));
  const encodings = [...new Set(measured.flatMap((sample) => sample.scripts.map((script) => script.contentEncoding ?? 'identity')))].sort();
  return {
    loads: measured.length,
    loadEventEnd: { median: of((sample) => sample.loadEventEndMs), p90: percentile(measured.map((sample) => sample.loadEventEndMs), 90) },
    domContentLoaded: { median: of((sample) => sample.domContentLoadedMs) },
    scripts: medianTotals(measured.map((sample) => sample.totals)),
    byLoadEvent: medianTotals(measured.map((sample) => sample.byLoadEvent)),
    document: {
      transferSize: of((sample) => sample.document.transferSize),
      encodedBodySize: of((sample) => sample.document.encodedBodySize),
      decodedBodySize: of((sample) => sample.document.decodedBodySize),
      contentEncoding: last.document.contentEncoding,
    },
    scriptEncodings: encodings,
    compressed: encodings.length > 0 && !encodings.includes('identity'),
    topScripts: [...last.scripts].sort((a, b) => b.transferSize - a.transferSize).slice(0, 10),
  };
}

function medianTotals(totals: readonly ScriptTotals[]): ScriptTotals {
  const of = (key: keyof ScriptTotals): number => median(totals.map((entry) => entry[key]));
  return { count: of('count'), transferSize: of('transferSize'), encodedBodySize: of('encodedBodySize'), decodedBodySize: of('decodedBodySize') };
}

export function targets(join: PhaseSummary | undefined, load: LoadSummary | undefined): Target[] {
  const list: Target[] = [];
  if (join) {
    list.push({ what: 'join → first remote frame, median', limit: '≤ 500 ms', measured: ms(join.total.median), pass: join.total.median <= 500 });
  }
  if (load) {
    // The room page's own scripts are those it needs by its load event; later ones are
    // fetched lazily for other routes (Next.js prefetches the lobby behind "Back to the lobby").
    list.push({
      what: 'room page JS transferred, by the load event',
      limit: '≤ 150 kB',
      measured: `${kB(load.byLoadEvent.transferSize)} (all: ${kB(load.scripts.transferSize)})`,
      pass: load.byLoadEvent.transferSize <= 150_000,
    });
    list.push({ what: 'room page load event, median', limit: '≤ 300 ms', measured: ms(load.loadEventEnd.median), pass: load.loadEventEnd.median <= 300 });
  }
  return list;
}

export function renderReport(parts: { joins?: JoinSample[]; mesh?: MeshResult[]; load?: LoadSummary; targets: Target[] }): string {
  const sections: string[] = [];
  if (parts.joins) {
    const measured = parts.joins.filter((sample) => !sample.warmup).length;
    const summary = summarizeJoins(parts.joins);
    sections.push(
      `Join → first remote video frame (2 parties, ${measured} joins, loopback)\n` +
        table([
          ['phase', 'median', 'p90'],
          ['signaling (Join → remote offer applied)', ms(summary.signaling.median), ms(summary.signaling.p90)],
          ['ICE (→ connected)', ms(summary.ice.median), ms(summary.ice.p90)],
          ['first frame (→ frame presented)', ms(summary.firstFrame.median), ms(summary.firstFrame.p90)],
          ['total', ms(summary.total.median), ms(summary.total.p90)],
        ]),
    );
  }
  if (parts.mesh?.length) {
    sections.push(
      'Mesh call, fake media, one browser (CPU: % of one core, whole browser)\n' +
        table([
          ['participants', 'streams (N·(N−1))', 'CPU total', 'CPU / participant', 'fps / stream (mean)', 'fps / stream (min)', 'frames/s decoded', 'camera fps', 'window'],
          ...parts.mesh.map((mesh) => [
            String(mesh.size),
            `${mesh.flowingStreams}/${mesh.expectedStreams}`,
            `${mesh.cpu.totalPercent.toFixed(0)}%`,
            `${mesh.cpu.perParticipantPercent.toFixed(0)}%`,
            mesh.fps.meanPerStream.toFixed(1),
            mesh.fps.minPerStream.toFixed(1),
            mesh.fps.totalDecodedPerSecond.toFixed(0),
            mesh.sourceFps === null ? '–' : mesh.sourceFps.toFixed(0),
            `${(mesh.windowMs / 1000).toFixed(1)} s`,
          ]),
        ]),
    );
  }
  if (parts.load) {
    const load = parts.load;
    sections.push(
      `Room page load, cold (fresh context), median of ${load.loads}\n` +
        table([
          ['', 'transferred', 'encoded body', 'decoded body'],
          [`scripts by the load event (${load.byLoadEvent.count})`, kB(load.byLoadEvent.transferSize), kB(load.byLoadEvent.encodedBodySize), kB(load.byLoadEvent.decodedBodySize)],
          [`all scripts, up to 0.5 s after it (${load.scripts.count})`, kB(load.scripts.transferSize), kB(load.scripts.encodedBodySize), kB(load.scripts.decodedBodySize)],
          ['document', kB(load.document.transferSize), kB(load.document.encodedBodySize), kB(load.document.decodedBodySize)],
        ]) +
        `\nload event (loadEventEnd) ${ms(load.loadEventEnd.median)} median, ${ms(load.loadEventEnd.p90)} p90; DOMContentLoaded ${ms(load.domContentLoaded.median)}` +
        `\nscripts served with Content-Encoding: ${load.scriptEncodings.join(', ') || '–'}; document: ${load.document.contentEncoding ?? 'identity'}` +
        (load.compressed ? '' : '\nNOTE: the server does not compress its scripts; compressed they would be a fraction of the bytes above.') +
        '\n\nBiggest scripts\n' +
        table([
          ['script', 'transferred', 'decoded', ''],
          ...load.topScripts.map((script) => [script.path, kB(script.transferSize), kB(script.decodedBodySize), script.afterLoad ? 'after load' : '']),
        ]),
    );
  }
  if (parts.targets.length) {
    sections.push('Targets\n' + table([['target', 'limit', 'measured', ''], ...parts.targets.map((target) => [target.what, target.limit, target.measured, target.pass ? 'PASS' : 'FAIL'])]));
  }
  return sections.join('\n\n') + '\n';
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

/** Columns padded to their widest cell; the first column left-aligned, the others right-aligned. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd())
    .join('\n');
}
