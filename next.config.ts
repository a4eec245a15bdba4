import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `npm run typecheck` (part of `npm test` and CI) checks the whole project, tests and
  // benchmarks included; the build need not repeat it, nor fail on a test file's types.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
