/**
 * The signaling load benchmark: Confab's server against the official protoo-server and
 * a plain-ws ceiling, every scenario interleaved, medians over repetitions.
 *
 *   npm run bench                  # full run (6 repetitions), about 13 minutes
 *   npm run bench:smoke            # tiny sizes, 1 repetition
 *   npm run bench -- --help        # options
 *
 * Progress goes to stderr, the markdown summary to stdout, everything to
 * bench/results/<date>.json.
 */
import { cpus } from 'node:os';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fullScenarios, smokeScenarios, targetsFor, type ScenarioSpec } from './config';
import { formatTop, mainProfile } from './lib/profile';
import { evaluateTargets, losses, markdown, summarize } from './lib/report';
import { BENCH_DIR, DEFAULT_SERVERS, hasTaskset, liveServerCount, pinSelf, SERVER_KINDS, type ServerKind } from './lib/server-process';
import { runBench } from './lib/suite';
import { BENCH_LIMITS } from './servers/limits';

const HELP = `Usage: node --import tsx bench/run.ts [options]
  --smoke                 tiny sizes, 1 repetition (results file gets a -smoke suffix)
  --reps N                repetitions (default 6; smoke 1)
  --scenarios a,b         scenario ids or kinds: fanout, fanout-rate, relay, idle-2000,
                          idle-5000, idle, join-storm, join-storm-warm
                          (default: all; join-storm picks both storms)
  --servers a,b           confab, protoo, ws, twin (default: confab,protoo,ws); twin is
                          a second Confab: Confab/twin shows what the host's noise
                          alone does to a ratio
  --duration MS           measured phase of fanout, fanout-rate and relay (default 5000;
                          fanout-rate 15000)
  --warmup MS             their warm-up (default 1500; fanout-rate 10000)
  --cpu-prof              write --cpu-prof profiles of the server children and print
                          their top 10 self-time functions
  --cpu-prof-servers a,b  which servers to profile (default confab)
  --no-pin                do not pin (default: generator on core 0, servers on core 1)
  --no-save               do not write bench/results/<date>.json
  --out FILE              write the results here instead`;

function list<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T[] | undefined {
  if (value === undefined) return undefined;
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  for (const item of items) if (!allowed.includes(item as T)) throw new Error(`unknown ${what} "${item}" (one of ${allowed.join(', ')})`);
  return items as T[];
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      smoke: { type: 'boolean', default: false },
      reps: { type: 'string' },
      scenarios: { type: 'string' },
      servers: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'cpu-prof-servers': { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      'no-save': { type: 'boolean', default: false },
      out: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const smoke = values.smoke;
  const reps = Math.max(1, Math.min(20, Number(values.reps ?? (smoke ? 1 : 6)) || 1));
  const servers = list(values.servers, SERVER_KINDS, 'server') ?? [...DEFAULT_SERVERS];
  let scenarios: ScenarioSpec[] = smoke ? smokeScenarios() : fullScenarios();
  if (values.scenarios !== undefined) {
    const wanted = values.scenarios.split(',').map((item) => item.trim());
    const unknown = wanted.filter((item) => !scenarios.some((spec) => spec.id === item || spec.kind === item));
    if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')} (have ${scenarios.map((spec) => spec.id).join(', ')})`);
    scenarios = scenarios.filter((spec) => wanted.includes(spec.id) || wanted.includes(spec.kind));
  }
  if (values.duration !== undefined) {
    const durationMs = Number(values.duration);
    if (!(durationMs >= 100 && durationMs <= 600_000)) throw new Error(`--duration must be 100-600000 ms, not "${values.duration}"`);
    for (const spec of scenarios) if (spec.kind === 'fanout' || spec.kind === 'relay') spec.options.durationMs = durationMs;
  }
  if (values.warmup !== undefined) {
    const warmupMs = Number(values.warmup);
    if (!(warmupMs >= 0 && warmupMs <= 600_000)) throw new Error(`--warmup must be 0-600000 ms, not "${values.warmup}"`);
    for (const spec of scenarios) if (spec.kind === 'fanout' || spec.kind === 'relay') spec.options.warmupMs = warmupMs;
  }

  const stamp = new Date().toISOString().replace(/:/g, '-').slice(0, 19);
  const resultsDir = path.join(BENCH_DIR, 'results');
  const cpuProf = values['cpu-prof']
    ? { dir: path.join(resultsDir, `profiles-${stamp}`), servers: list(values['cpu-prof-servers'], SERVER_KINDS, 'server') ?? (['confab'] as ServerKind[]) }
    : undefined;

  const pin = !values['no-pin'] && hasTaskset() && cpus().length >= 2;
  const generatorPinned = pin && pinSelf(0);
  const log = (message: string): void => void process.stderr.write(`${message}\n`);
  log(
    `bench: ${scenarios.map((spec) => spec.id).join(', ')} × ${servers.join(', ')} × ${reps} rep(s); ` +
      (pin ? `generator on core 0${generatorPinned ? '' : ' (pinning failed)'}, servers on core 1` : 'not pinned'),
  );

  const startedAt = new Date();
  const records = await runBench({ scenarios, servers, reps, serverCore: pin ? 1 : undefined, freshServers: true, cpuProf, log });
  const rows = summarize(records, scenarios, servers);
  const targets = evaluateTargets(records, targetsFor(scenarios));
  const lossRows = losses(records, scenarios, servers);

  console.log(markdown(rows, targets, lossRows, scenarios, servers, reps, records));

  if (cpuProf) {
    for (const record of records) {
      if (!record.cpuProfileDir) continue;
      try {
        const main = mainProfile(record.cpuProfileDir);
        if (main) console.log(`\n${path.basename(record.cpuProfileDir)} (main thread) ${formatTop(main, 10, process.cwd(), record.measuredWindowUs)}`);
      } catch (error) {
        log(`could not read the profiles in ${record.cpuProfileDir}: ${(error as Error).message}`);
      }
    }
  }

  if (!values['no-save']) {
    const file = values.out ?? path.join(resultsDir, `${stamp}${smoke ? '-smoke' : ''}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    const result = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      smoke,
      reps,
      host: { node: process.version, platform: process.platform, cpus: cpus().length, cpuModel: cpus()[0]?.model, taskset: hasTaskset(), generatorCore: pin ? 0 : null, serverCore: pin ? 1 : null },
      confabLimits: BENCH_LIMITS,
      servers,
      scenarios,
      summary: rows,
      targets,
      losses: lossRows,
      runs: records,
    };
    writeFileSync(`${file}.tmp`, `${JSON.stringify(result, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
    renameSync(`${file}.tmp`, file);
    log(`results: ${path.relative(process.cwd(), file)}`);
  }

  const broken = lossRows.some((row) => row.lost > 0 || row.errors > 0 || row.failedRuns > 0);
  if (liveServerCount() > 0) log(`warning: ${liveServerCount()} server children still running`);
  return broken ? 1 : 0;
}

process.on('SIGINT', () => process.exit(130));
process.on('SIGTERM', () => process.exit(143));

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
