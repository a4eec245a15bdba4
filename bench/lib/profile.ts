/** Reads a V8 .cpuprofile (node --cpu-prof) and ranks functions by self time. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  selfMs: number;
  /** Share of the busy (non-idle) time, %. */
  percent: number;
}

function shortUrl(url: string, root: string): string {
  if (!url) return '';
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const relative = path.relative(root, file);
  return relative.startsWith('node_modules/') ? relative.slice('node_modules/'.length) : relative;
}

export interface FileSelfTime {
  file: string;
  selfMs: number;
  percent: number;
}

/**
 * `window`: only samples taken within [from, to] (µs on the profiled process's monotonic
 * clock, e.g. the measured phase), so start-up and module loading do not count.
 */
export function topSelfTime(
  file: string,
  count = 10,
  root = process.cwd(),
  window?: [number, number],
): { top: SelfTime[]; files: FileSelfTime[]; busyMs: number; idleMs: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<string, { name: string; where: string; us: number }>();
  let idleUs = 0;
  let busyUs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    if (!node || (window && (time < window[0] || time > window[1]))) continue;
    const frame = node.callFrame;
    if (frame.functionName === '(idle)') {
      idleUs += delta;
      continue;
    }
    busyUs += delta;
    // tsx-compiled files are one line: the file alone says enough there.
    const where = frame.url ? `${shortUrl(frame.url, root)}${frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ''}` : '';
    const key = `${frame.functionName}@${where}`;
    const entry = selfUs.get(key) ?? { name: frame.functionName || '(anonymous)', where, us: 0 };
    entry.us += delta;
    selfUs.set(key, entry);
  }
  const top = [...selfUs.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((entry) => ({ name: entry.name, where: entry.where, selfMs: entry.us / 1000, percent: busyUs > 0 ? (entry.us / busyUs) * 100 : 0 }));
  const byFile = new Map<string, number>();
  for (const entry of selfUs.values()) {
    const file = entry.where.replace(/:\d+$/, '') || entry.name;
    byFile.set(file, (byFile.get(file) ?? 0) + entry.us);
  }
  const files = [...byFile.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([file, us]) => ({ file, selfMs: us / 1000, percent: busyUs > 0 ? (us / busyUs) * 100 : 0 }));
  return { top, files, busyMs: busyUs / 1000, idleMs: idleUs / 1000 };
}

export function formatTop(file: string, count = 10, root = process.cwd(), window?: [number, number]): string {
  const { top, files, busyMs, idleMs } = topSelfTime(file, count, root, window);
  const span = window ? `measured phase only (${((window[1] - window[0]) / 1000).toFixed(0)} ms)` : 'whole process';
  const lines = [`${path.basename(file)}, ${span}: busy ${busyMs.toFixed(0)} ms, idle ${idleMs.toFixed(0)} ms`, '', '| self ms | % busy | function | where |', '| ---: | ---: | --- | --- |'];
  for (const entry of top) lines.push(`| ${entry.selfMs.toFixed(1)} | ${entry.percent.toFixed(1)} | ${entry.name} | ${entry.where} |`);
  lines.push('', '| self ms | % busy | file (self time of all its functions) |', '| ---: | ---: | --- |');
  for (const entry of files.slice(0, 8)) lines.push(`| ${entry.selfMs.toFixed(1)} | ${entry.percent.toFixed(1)} | ${entry.file} |`);
  return lines.join('\n');
}

/** The main thread's profile in a --cpu-prof directory: the one with the most busy time. */
export function mainProfile(dir: string): string | undefined {
  let best: { file: string; busy: number } | undefined;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.cpuprofile')) continue;
    const file = path.join(dir, name);
    const busy = topSelfTime(file, 0).busyMs;
    if (!best || busy > best.busy) best = { file, busy };
  }
  return best?.file;
}
