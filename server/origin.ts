/**
 * origin: which browser pages may open a signaling connection. By default only pages
 * of the same origin (the Origin header's host equals the Host header); configured
 * origins widen that. Connections without Origin come from non-browser clients, which
 * a browser-based attack cannot produce, and are allowed.
 */
import type { IncomingMessage } from 'node:http';

export function isOriginAllowed(request: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes('*') || allowedOrigins.includes(origin)) return true;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return false;
  }
  const host = request.headers.host;
  return host !== undefined && originHost.toLowerCase() === host.toLowerCase();
}
