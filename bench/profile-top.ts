/**
 * Top self-time functions of a V8 CPU profile (node --cpu-prof), as a markdown table.
 *
 *   node --import tsx bench/profile-top.ts <file.cpuprofile | directory> [count] [fromUs toUs]
 *
 * fromUs/toUs limit it to a window on the profiled process's monotonic clock (a run's
 * `measuredWindowUs` in the results JSON).
 * Given a directory (one profile per thread, as --cpu-prof writes them), it reads the
 * main thread's: the profile with the most busy time.
 */
import { statSync } from 'node:fs';
import { formatTop, mainProfile } from './lib/profile';

const [target, count = '10', from, to] = process.argv.slice(2);
if (!target) {
  console.error('usage: node --import tsx bench/profile-top.ts <file.cpuprofile | directory> [count] [fromUs toUs]');
  process.exit(2);
}
const file = statSync(target).isDirectory() ? mainProfile(target) : target;
if (!file) {
  console.error(`no .cpuprofile in ${target}`);
  process.exit(1);
}
const window: [number, number] | undefined = from !== undefined && to !== undefined ? [Number(from), Number(to)] : undefined;
console.log(formatTop(file, Math.max(1, Math.min(100, Number(count) || 10)), process.cwd(), window));
