/**
 * The room page as a first-time visitor's browser loads it: a fresh context (empty
 * cache) per load opens `/r/<random room>`; after the load event (and a short quiet time
 * for late chunks) Resource Timing gives each script's bytes on the wire (transferSize:
 * body as served plus headers), its body as served (encodedBodySize) and decoded
 * (decodedBodySize); the response headers say whether it was compressed. The navigation
 * entry gives the document's sizes and loadEventEnd (ms from the start of navigation).
 */
import type { Browser } from '@playwright/test';
import { randomRoomId } from './participant';

export interface ResourceSizes {
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
  /** Content-Encoding as served (gzip, br, …); null when sent uncompressed. */
  contentEncoding: string | null;
}

export interface ScriptSample extends ResourceSizes {
  /** Path of the script on the server. */
  path: string;
  /** Finished after the load event (loaded lazily). */
  afterLoad: boolean;
}

export interface LoadSample {
  warmup: boolean;
  path: string;
  domContentLoadedMs: number;
  loadEventEndMs: number;
  document: ResourceSizes;
  scripts: ScriptSample[];
  /** All scripts, and those finished by the load event (the rest are fetched lazily, like a prefetched route's). */
  totals: ScriptTotals;
  byLoadEvent: ScriptTotals;
}

export interface ScriptTotals {
  count: number;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
}

export interface LoadOptions {
  loads: number;
  /** Loads made first and kept apart: they warm the server (its first render of the route), not the browser. */
  warmup?: number;
  /** Quiet time after the load event for scripts fetched lazily. */
  settleMs?: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}

interface TimingEntry {
  name: string;
  initiatorType: string;
  transferSize: number;
  encodedBodySize: number;
  decodedBodySize: number;
  responseEnd: number;
  /** Navigation entry only. */
  loadEventEnd: number;
  domContentLoadedEventEnd: number;
}

export async function measurePageLoads(browser: Browser, baseURL: string, options: LoadOptions): Promise<LoadSample[]> {
  const { loads, warmup = 0, settleMs = 500, timeoutMs = 30_000, log = () => {} } = options;
  const samples: LoadSample[] = [];
  for (let index = 0; index < warmup + loads; index++) {
    const sample = await measureLoad(browser, baseURL, index < warmup, settleMs, timeoutMs);
    samples.push(sample);
    const label = sample.warmup ? `warm-up load ${index + 1}/${warmup}` : `load ${index - warmup + 1}/${loads}`;
    log(
      `${label}: load event ${sample.loadEventEndMs.toFixed(0)} ms, ${sample.totals.count} scripts, ` +
        `${kB(sample.totals.transferSize)} transferred, ${kB(sample.totals.decodedBodySize)} decoded`,
    );
  }
  return samples;
}

async function measureLoad(browser: Browser, baseURL: string, warmup: boolean, settleMs: number, timeoutMs: number): Promise<LoadSample> {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const encodings = new Map<string, string | null>();
    page.on('response', (response) => encodings.set(response.url(), response.headers()['content-encoding'] ?? null));
    const path = `/r/${randomRoomId('bench-load')}`;
    const response = await page.goto(path, { waitUntil: 'load' });
    if (!response?.ok()) throw new Error(`GET ${path}: ${response ? `HTTP ${response.status()}` : 'no response'}`);
    // loadEventEnd is set once the load handlers returned, just after Playwright saw `load`.
    await page.waitForFunction(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.loadEventEnd, undefined, {
      timeout: timeoutMs,
      polling: 50,
    });
    await page.waitForTimeout(settleMs);
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    const timing = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return [navigation, ...(performance.getEntriesByType('resource') as PerformanceResourceTiming[])].map((entry) => ({
        name: entry.name,
        initiatorType: entry.initiatorType,
        transferSize: entry.transferSize,
        encodedBodySize: entry.encodedBodySize,
        decodedBodySize: entry.decodedBodySize,
        responseEnd: entry.responseEnd,
        loadEventEnd: entry === navigation ? navigation.loadEventEnd : 0,
        domContentLoadedEventEnd: entry === navigation ? navigation.domContentLoadedEventEnd : 0,
      }));
    });
    const [navigation, ...resources] = timing as [TimingEntry, ...TimingEntry[]];
    const scripts = resources.filter(isScript).map(
      (entry): ScriptSample => ({
        path: new URL(entry.name).pathname,
        transferSize: entry.transferSize,
        encodedBodySize: entry.encodedBodySize,
        decodedBodySize: entry.decodedBodySize,
        contentEncoding: encodings.get(entry.name) ?? null,
        afterLoad: entry.responseEnd > navigation.loadEventEnd,
      }),
    );
    return {
      warmup,
      path,
      domContentLoadedMs: navigation.domContentLoadedEventEnd,
      loadEventEndMs: navigation.loadEventEnd,
      document: {
        transferSize: navigation.transferSize,
        encodedBodySize: navigation.encodedBodySize,
        decodedBodySize: navigation.decodedBodySize,
        contentEncoding: encodings.get(navigation.name) ?? null,
      },
      scripts,
      totals: totalsOf(scripts),
      byLoadEvent: totalsOf(scripts.filter((script) => !script.afterLoad)),
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}

function totalsOf(scripts: readonly ScriptSample[]): ScriptTotals {
  const sum = (key: 'transferSize' | 'encodedBodySize' | 'decodedBodySize'): number => scripts.reduce((total, script) => total + script[key], 0);
  return { count: scripts.length, transferSize: sum('transferSize'), encodedBodySize: sum('encodedBodySize'), decodedBodySize: sum('decodedBodySize') };
}

/** Scripts by how they were fetched or by name (Next.js also preloads chunks with <link>). */
function isScript(entry: TimingEntry): boolean {
  return entry.initiatorType === 'script' || /\.m?js$/.test(new URL(entry.name).pathname);
}

export function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}
