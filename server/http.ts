/**
 * http: the server's own HTTP routes, answered before Next sees the request:
 * GET /healthz (JSON status) and GET /metrics (Prometheus, when enabled).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Signaling } from './signaling/Signaling';

const startedAt = Date.now();

/** Answers the request if it is one of ours; returns whether it was. */
export function handleOwnRoute(req: IncomingMessage, res: ServerResponse, signaling: Signaling): boolean {
  const url = req.url ?? '/';
  const pathname = url.includes('?') ? url.slice(0, url.indexOf('?')) : url;
  if (pathname === '/healthz') {
    const body = JSON.stringify({
      status: 'ok',
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      rooms: signaling.rooms.roomCount,
      peers: signaling.rooms.peerCount,
      connections: signaling.connectionCount,
    });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(body);
    return true;
  }
  if (pathname === '/metrics' && signaling.metrics.registry) {
    const registry = signaling.metrics.registry;
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
    return true;
  }
  return false;
}
