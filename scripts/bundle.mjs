// Bundles a TypeScript entry (the server, or a benchmark server) into one ES module for
// plain `node`: no TypeScript loader at run time and no `keepNames` helper on every
// function, which is what `node --import tsx` costs. Packages stay external.
import { build } from 'esbuild';

/** Bundles `entry` into `outfile`. */
export async function bundle(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}
