/**
 * staticAssets: Next's build output (`/_next/static/*`) served brotli-compressed. Next
 * only gzips, and brotli makes a page's JavaScript about 14 % smaller. Every asset is
 * compressed once, in the background, when the server starts (quality 11), kept in
 * memory and written beside the original as `<name>.br` so that later starts only read
 * it. Until an asset is ready, and for clients that do not accept br, Next serves it
 * as before; the URLs, types and caching headers are the same either way.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants } from 'node:zlib';
import type { Logger } from './logger';

const compress = promisify(brotliCompress);

export const STATIC_PREFIX = '/_next/static/';

/** What gets compressed, with the Content-Type Next serves it with. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=UTF-8',
  '.mjs': 'application/javascript; charset=UTF-8',
  '.css': 'text/css; charset=UTF-8',
  '.json': 'application/json; charset=UTF-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=UTF-8',
};

/** Smaller files gain nothing worth a header. */
const MIN_BYTES = 1024;

/** Build assets have content hashes in their paths: as Next caches them. */
const CACHE_CONTROL = 'public, max-age=31536000, immutable';

interface Asset {
  type: string;
  body: Buffer;
}

export interface StaticAssets {
  /** Serves the request when it is for a compressed asset and the client takes br; returns whether it did. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Settles when every asset has been compressed (or skipped); never rejects. */
  readonly ready: Promise<void>;
  /** How many assets are ready. */
  readonly size: number;
}

/** Whether an Accept-Encoding header accepts br (present, and not with q=0). */
export function acceptsBrotli(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(',')) {
    const [coding, ...params] = part.split(';');
    if (coding?.trim().toLowerCase() !== 'br') continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** Files under `dir`, recursively, as paths relative to it with forward slashes. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

/** The compressed bytes of `file`: from its `.br` sibling when that is newer, else compressed now (and saved). */
async function compressedBytes(file: string, logger: Logger): Promise<Buffer | undefined> {
  const original = await stat(file);
  if (original.size < MIN_BYTES) return undefined;
  const cached = await stat(`${file}.br`).catch(() => undefined);
  if (cached && cached.mtimeMs >= original.mtimeMs) return readFile(`${file}.br`);
  const body = await compress(await readFile(file), {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: original.size },
  });
  // Saving is only a cache for the next start: a read-only build directory is fine.
  await writeFile(`${file}.br`, body).catch((error: unknown) => logger.debug({ err: error, file }, 'could not save a compressed asset'));
  return body;
}

/** Starts compressing the assets in `staticDir` (Next's `.next/static`) and serves them as they become ready. */
export function precompressedStatic(staticDir: string, logger: Logger): StaticAssets {
  const assets = new Map<string, Asset>();

  const prepare = async (): Promise<void> => {
    const files = await listFiles(staticDir).catch(() => [] as string[]);
    // One at a time: a starting server should not take every core for this.
    for (const relative of files) {
      const type = CONTENT_TYPES[path.extname(relative)];
      if (!type) continue;
      try {
        const body = await compressedBytes(path.join(staticDir, relative), logger);
        if (body) assets.set(STATIC_PREFIX + relative, { type, body });
      } catch (error) {
        logger.warn({ err: error, file: relative }, 'could not compress a static asset; Next serves it uncompressed by brotli');
      }
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = req.url ?? '';
    if (!url.startsWith(STATIC_PREFIX) || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
    const query = url.indexOf('?');
    const asset = assets.get(query === -1 ? url : url.slice(0, query));
    if (!asset || !acceptsBrotli(req.headers['accept-encoding'])) return false;
    res.writeHead(200, {
      'Content-Type': asset.type,
      'Content-Encoding': 'br',
      'Content-Length': asset.body.length,
      'Cache-Control': CACHE_CONTROL,
      Vary: 'Accept-Encoding',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  };

  return {
    handle,
    ready: prepare(),
    get size() {
      return assets.size;
    },
  };
}
