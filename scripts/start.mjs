// `npm start`: builds the app when there is no production build or the sources are
// newer than it, bundles the server (scripts/bundle.mjs), then runs it in production
// mode in this same process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildId = path.join(root, '.next', 'BUILD_ID');
const serverBundle = path.join(root, 'dist', 'server.mjs');
const SOURCES = ['app', 'components', 'lib', 'public', 'next.config.ts', 'postcss.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json'];
const SERVER_SOURCES = ['server', 'lib', 'package.json', 'package-lock.json'];

/** Newest modification time (ms) under `entry`, skipping tests. */
function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(entry) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name)));
  return newest;
}

/** Why `output` must be rebuilt from `sources`, if it must. */
function staleness(output, sources) {
  if (!existsSync(output)) return 'no production build yet';
  const built = statSync(output).mtimeMs;
  const changed = sources.find((source) => newestMtime(path.join(root, source)) > built);
  return changed ? `${changed} changed since the last build` : undefined;
}

// A self-hosted app does not report usage to anyone unless its operator asks for it.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const stale = staleness(buildId, SOURCES);
if (stale) {
  console.log(`Building Confab (${stale})…`);
  const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
  const result = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) {
    console.error('Confab cannot start: the build failed (see above).');
    process.exit(result.status ?? 1);
  }
}

if (staleness(serverBundle, SERVER_SOURCES)) {
  const { bundle } = await import('./bundle.mjs');
  await bundle({ server: path.join(root, 'server', 'index.ts') }, path.dirname(serverBundle));
}

process.env.NODE_ENV = 'production';
await import(pathToFileURL(serverBundle).href);
