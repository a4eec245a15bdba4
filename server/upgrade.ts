/**
 * upgrade: the ONE `upgrade` listener of the HTTP server. The signaling path goes to
 * protoo, `/_next/*` (HMR in development) to Next, and anything else is refused, so
 * neither handler ever sees the other's connections.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { abortHandshake } from '../lib/protoo/server';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface UpgradeRoutes {
  signalingPath: string;
  signaling: UpgradeHandler;
  /** Next's upgrade handler; undefined when Next is not served. */
  next?: UpgradeHandler;
}

export function createUpgradeRouter(routes: UpgradeRoutes): UpgradeHandler {
  return (request, socket, head) => {
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const pathname = query === -1 ? url : url.slice(0, query);
    if (pathname === routes.signalingPath) routes.signaling(request, socket, head);
    else if (routes.next && pathname.startsWith('/_next/')) routes.next(request, socket, head);
    else abortHandshake(socket, 404, 'Not Found');
  };
}
