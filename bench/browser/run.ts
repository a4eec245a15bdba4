/**
 * `npm run bench:browser`: the browser benchmark (issue 6, "Browser bench"). Starts the
 * production server as `npm start` does, drives Chromium with fake media through the real
 * UI, and measures join → first remote frame, CPU and frame rate of mesh calls, and the
 * room page's JavaScript and load time. Progress goes to stderr, the summary to stdout,
 * everything (with raw samples) to bench/results/browser-<date>.json. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../../e2e/browsers';
import { measureJoins, summarizeJoins, type JoinSample } from './join';
import { measureMesh, type MeshResult } from './mesh';
import { measurePageLoads, type LoadSample } from './pageLoad';
import { renderReport, summarizeLoads, targets } from './report';
import { startProductionServer, type ProductionServer } from './server';

const RESULTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'results');
const PARTS = ['join', 'mesh', 'load'] as const;
type Part = (typeof PARTS)[number];

const USAGE = `Usage: npm run bench:browser -- [options]
  --smoke          tiny: 2 joins, a mesh of 2, 1 s window, 2 loads
  --joins N        measured joins (default 12)
  --sizes 2,4,6    mesh sizes (default 2,4,6)
  --window MS      measured window per mesh (default 10000)
  --loads N        measured page loads (default 7)
  --only PARTS     some of join,mesh,load
  --no-save        do not write bench/results/browser-<date>.json`;

interface Options {
  smoke: boolean;
  joins: number;
  sizes: number[];
  windowMs: number;
  loads: number;
  parts: Part[];
  save: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      smoke: { type: 'boolean', default: false },
      joins: { type: 'string' },
      sizes: { type: 'string' },
      window: { type: 'string' },
      loads: { type: 'string' },
      only: { type: 'string' },
      'no-save': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const smoke = values.smoke;
  const count = (name: string, value: string | undefined, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be an integer ≥ ${min}, not ${value}\n${USAGE}`);
    return number;
  };
  const sizes = values.sizes === undefined ? (smoke ? [2] : [2, 4, 6]) : values.sizes.split(',').map((size) => count('sizes', size, 0, 2));
  const parts = values.only === undefined ? [...PARTS] : values.only.split(',').map((part) => part.trim());
  for (const part of parts) if (!(PARTS as readonly string[]).includes(part)) throw new Error(`--only: unknown part ${part} (parts: ${PARTS.join(', ')})`);
  return {
    smoke,
    joins: count('joins', values.joins, smoke ? 2 : 12, 1),
    sizes,
    windowMs: count('window', values.window, smoke ? 1000 : 10_000, 100),
    loads: count('loads', values.loads, smoke ? 2 : 7, 1),
    parts: parts as Part[],
    save: !values['no-save'],
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const loadAverageAtStart = os.loadavg();
  let server: ProductionServer | undefined;
  let browser: Browser | undefined;
  const cleanup = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  const interrupted = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping the browser and the server`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    log('Starting the production server (builds first when the build is stale)…');
    server = await startProductionServer(log);
    log(`Server ready at ${server.baseURL}`);
    browser = await chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
    log(`Chromium ${browser.version()}`);
    const { baseURL } = server;

    let joins: JoinSample[] | undefined;
    let loads: LoadSample[] | undefined;
    const mesh: MeshResult[] = [];
    // The most timing-sensitive parts first: a mesh of 6 leaves the machine loaded for a while.
    if (options.parts.includes('load')) {
      log(`Room page load: ${options.loads} cold loads after 1 warm-up load`);
      loads = await measurePageLoads(browser, baseURL, { loads: options.loads, warmup: 1, log });
    }
    if (options.parts.includes('join')) {
      log(`Join → first frame: ${options.joins} joins${options.smoke ? '' : ' after 1 warm-up join'}`);
      joins = await measureJoins(browser, baseURL, { joins: options.joins, warmup: options.smoke ? 0 : 1, log });
    }
    if (options.parts.includes('mesh')) {
      for (const size of options.sizes) {
        log(`Mesh of ${size}`);
        mesh.push(await measureMesh(browser, baseURL, { size, windowMs: options.windowMs, settleMs: options.smoke ? 500 : 3000, log }));
        const last = mesh.at(-1)!;
        log(`mesh of ${size}: CPU ${last.cpu.totalPercent.toFixed(0)}%, ${last.fps.meanPerStream.toFixed(1)} fps per stream over ${last.flowingStreams}/${last.expectedStreams} streams`);
      }
    }

    const joinSummary = joins ? summarizeJoins(joins) : undefined;
    const loadSummary = loads ? summarizeLoads(loads) : undefined;
    const results = targets(joinSummary, loadSummary);
    process.stdout.write(renderReport({ joins, mesh, load: loadSummary, targets: results }));

    if (options.save) {
      const date = new Date().toISOString();
      const file = path.join(RESULTS, `browser-${date.replace(/:/g, '-').replace(/\..*/, '')}${options.smoke ? '-smoke' : ''}.json`);
      mkdirSync(RESULTS, { recursive: true });
      const record = {
        date,
        command: `npm run bench:browser${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model ?? null,
          memoryBytes: os.totalmem(),
          platform: `${os.platform()} ${os.release()}`,
          node: process.version,
          chromium: browser.version(),
          /** 1, 5 and 15 minute load averages when the run started and ended: the machine may be shared. */
          loadAverage: { start: loadAverageAtStart, end: os.loadavg() },
        },
        options,
        targets: results,
        join: joins ? { summary: joinSummary, samples: joins } : null,
        mesh: mesh.length ? mesh : null,
        load: loads ? { summary: loadSummary, samples: loads } : null,
      };
      writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
      log(`Saved ${path.relative(process.cwd(), file)}`);
    }
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench:browser failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
