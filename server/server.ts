/**
 * server: ONE http.Server carrying the Next app and the signaling WebSocket.
 * `startServer` listens and resolves once ready; `close()` shuts down gracefully:
 * stop accepting, tell the peers and close them (they reconnect), close the HTTP
 * server, close Next.
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIGNALING_PATH } from '../lib/signaling/path';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { handleOwnRoute } from './http';
import { Signaling } from './signaling/Signaling';
import { precompressedStatic, type StaticAssets } from './staticAssets';
import { createUpgradeRouter, type UpgradeHandler } from './upgrade';

/** The project directory (with package.json), whether this runs from server/ or from a bundle. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

const ROOT_DIR = projectRoot();

export interface StartOptions {
  /** Serve the Next app (default true). Off for signaling-only tests. */
  next?: boolean;
  logger?: Logger;
}

export interface RunningServer {
  httpServer: Server;
  signaling: Signaling;
  logger: Logger;
  port: number;
  /** http://host:port, with a loopback host when listening on all interfaces. */
  url: string;
  close(reason?: string): Promise<void>;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  const signaling = new Signaling(config, logger);

  let handleRequest: RequestHandler = (_req, res) => {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
  };
  let nextUpgrade: UpgradeHandler | undefined;
  let closeNext = async (): Promise<void> => {};
  let staticAssets: StaticAssets | undefined;

  if (options.next !== false) {
    // Next attaches its own upgrade listener to `httpServer` on its first request.
    // Give it one that never listens, and forward only /_next/* upgrades to it.
    const nextUpgrades = createServer();
    // Loaded only here: a signaling-only server (tests, benchmarks) does not carry Next.
    const { default: next } = await import('next');
    const app = next({ dev: config.dev, dir: ROOT_DIR, hostname: config.host, port: config.port, httpServer: nextUpgrades, quiet: !config.dev });
    await app.prepare();
    const nextHandler = app.getRequestHandler();
    handleRequest = (req, res) => nextHandler(req, res);
    nextUpgrade = (req, socket, head) => {
      if (!nextUpgrades.emit('upgrade', req, socket, head)) socket.destroy();
    };
    closeNext = () => app.close();
    // The production build's assets, brotli-compressed (Next only gzips).
    if (!config.dev) staticAssets = precompressedStatic(path.join(ROOT_DIR, '.next', 'static'), logger);
  }

  const httpServer = createServer(
    {
      // Connections that never finish their request (or WebSocket handshake) headers are cut.
      headersTimeout: config.handshakeTimeoutMs,
      requestTimeout: Math.max(60_000, config.handshakeTimeoutMs),
      connectionsCheckingInterval: Math.min(1000, config.handshakeTimeoutMs),
    },
    (req, res) => {
      if (handleOwnRoute(req, res, signaling) || staticAssets?.handle(req, res)) return;
      Promise.resolve(handleRequest(req, res)).catch((error: unknown) => {
        logger.error({ err: error, url: req.url }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('Internal Server Error');
      });
    },
  );
  httpServer.on(
    'upgrade',
    createUpgradeRouter({
      signalingPath: SIGNALING_PATH,
      signaling: (req, socket, head) => signaling.wss.handleUpgrade(req, socket, head),
      next: nextUpgrade,
    }),
  );
  httpServer.on('clientError', (error, socket) => {
    logger.debug({ err: error }, 'client error');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (reason = 'server shutting down'): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      signaling.close(reason);
      httpServer.closeIdleConnections();
      const deadline = setTimeout(() => httpServer.closeAllConnections(), config.shutdownTimeoutMs);
      await closed;
      clearTimeout(deadline);
      await closeNext();
    })();
    return closing;
  };

  return { httpServer, signaling, logger, port, url, close };
}
