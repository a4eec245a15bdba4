/**
 * Where the signaling WebSocket lives. Shared by the server (upgrade routing) and
 * the browser (connection URL). It must not collide with a page route: Next ends
 * upgrade requests for paths that match a page.
 */
export const SIGNALING_PATH = '/protoo';

/** The signaling URL for a page served from `location` (ws: for http:, wss: for https:). */
export function signalingUrl(location: { protocol: string; host: string }, query: Record<string, string> = {}): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const search = new URLSearchParams(query).toString();
  return `${scheme}//${location.host}${SIGNALING_PATH}${search ? `?${search}` : ''}`;
}
