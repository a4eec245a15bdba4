// Bundles TypeScript entries (the server, or the benchmark servers) into ES modules for
// plain `node`: no TypeScript loader at run time and no `keepNames` helper on every
// function, which is what `node --import tsx` costs. Packages stay external.
import { build, stop } from 'esbuild';

/** Bundles `entryPoints` into `outdir` (one `<name>.mjs` each), then stops esbuild's helper process. */
export async function bundle(entryPoints, outdir) {
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  await stop();
}
