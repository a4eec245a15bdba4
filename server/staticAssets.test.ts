import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptsBrotli, precompressedStatic, type StaticAssets } from './staticAssets';

const logger = pino({ level: 'silent' });
const SCRIPT = `console.log(${JSON.stringify('confab '.repeat(2000))});\n`;
const STYLE = `body { color: red; }\n`.repeat(200);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(port: number, url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: url, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('acceptsBrotli', () => {
  it.each([
    ['gzip, deflate, br, zstd', true],
    ['br', true],
    ['BR;q=0.5', true],
    ['gzip, br;q=0', false],
    ['br; q=0.0', false],
    ['gzip, deflate', false],
    ['brotli', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (header, expected) => {
    expect(acceptsBrotli(header)).toBe(expected);
  });
});

describe('precompressedStatic', () => {
  let dir: string;
  let server: Server | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'confab-static-'));
    await mkdir(path.join(dir, 'chunks'));
    await writeFile(path.join(dir, 'chunks', 'app.js'), SCRIPT);
    await writeFile(path.join(dir, 'chunks', 'tiny.js'), 'x()');
    await writeFile(path.join(dir, 'style.css'), STYLE);
    await writeFile(path.join(dir, 'font.woff2'), Buffer.alloc(4096, 1));
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** Serves `assets`, falling back to a 404 marked as not ours. */
  async function serve(assets: StaticAssets): Promise<number> {
    server = createServer((req, res) => {
      if (!assets.handle(req, res)) res.writeHead(404, { 'X-Fallback': '1' }).end();
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('serves compressed scripts and styles with the headers Next uses', async () => {
    const assets = precompressedStatic(dir, logger);
    await assets.ready;
    expect(assets.size).toBe(2);
    const port = await serve(assets);

    const script = await get(port, '/_next/static/chunks/app.js?dpl=1', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(script.status).toBe(200);
    expect(script.headers).toMatchObject({
      'content-type': 'application/javascript; charset=UTF-8',
      'content-encoding': 'br',
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
      'content-length': String(script.body.length),
    });
    expect(brotliDecompressSync(script.body).toString()).toBe(SCRIPT);
    expect(script.body.length).toBeLessThan(SCRIPT.length / 10);

    const style = await get(port, '/_next/static/style.css', { 'Accept-Encoding': 'br' });
    expect(style.headers['content-type']).toBe('text/css; charset=UTF-8');
    expect(brotliDecompressSync(style.body).toString()).toBe(STYLE);

    const head = await get(port, '/_next/static/chunks/app.js', { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(script.body.length));
    expect(head.body.length).toBe(0);
  });

  it('leaves everything else to Next', async () => {
    const assets = precompressedStatic(dir, logger);
    await assets.ready;
    const port = await serve(assets);
    const fallback = async (url: string, headers: Record<string, string>, method = 'GET') =>
      (await get(port, url, headers, method)).headers['x-fallback'];

    expect(await fallback('/_next/static/chunks/app.js', { 'Accept-Encoding': 'gzip, deflate' })).toBe('1');
    expect(await fallback('/_next/static/chunks/app.js', { 'Accept-Encoding': 'gzip, br;q=0' })).toBe('1');
    expect(await fallback('/_next/static/chunks/app.js', {})).toBe('1');
    expect(await fallback('/_next/static/chunks/app.js', { 'Accept-Encoding': 'br' }, 'POST')).toBe('1');
    expect(await fallback('/_next/static/chunks/tiny.js', { 'Accept-Encoding': 'br' })).toBe('1');
    expect(await fallback('/_next/static/font.woff2', { 'Accept-Encoding': 'br' })).toBe('1');
    expect(await fallback('/_next/static/chunks/missing.js', { 'Accept-Encoding': 'br' })).toBe('1');
    expect(await fallback('/_next/static/../../etc/passwd', { 'Accept-Encoding': 'br' })).toBe('1');
    expect(await fallback('/chunks/app.js', { 'Accept-Encoding': 'br' })).toBe('1');
  });

  it('saves the compressed files and reads them on the next start, unless the original is newer', async () => {
    const file = path.join(dir, 'chunks', 'app.js');
    await precompressedStatic(dir, logger).ready;
    expect(existsSync(`${file}.br`)).toBe(true);

    // A saved .br newer than its original is used as it is (here: deliberately different bytes).
    await writeFile(`${file}.br`, 'saved');
    const reused = precompressedStatic(dir, logger);
    await reused.ready;
    let port = await serve(reused);
    expect((await get(port, '/_next/static/chunks/app.js', { 'Accept-Encoding': 'br' })).body.toString()).toBe('saved');
    await new Promise<void>((resolve) => server!.close(() => resolve()));

    // A rebuilt original makes it stale: compressed again.
    const later = (await stat(`${file}.br`)).mtime.getTime() / 1000 + 10;
    await utimes(file, later, later);
    const fresh = precompressedStatic(dir, logger);
    await fresh.ready;
    port = await serve(fresh);
    expect(brotliDecompressSync((await get(port, '/_next/static/chunks/app.js', { 'Accept-Encoding': 'br' })).body).toString()).toBe(SCRIPT);
  });

  it('serves nothing, without failing, when there is no build', async () => {
    const assets = precompressedStatic(path.join(dir, 'no-such-dir'), logger);
    await expect(assets.ready).resolves.toBeUndefined();
    expect(assets.size).toBe(0);
  });
});
