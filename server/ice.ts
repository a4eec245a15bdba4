/**
 * ice: the ICE configuration a peer receives. STUN and TURN URLs come from the
 * configuration; TURN credentials are minted per peer with the TURN REST scheme that
 * coturn's `use-auth-secret` checks (username `<expiry-unix-seconds>:<peerId>`,
 * password base64(HMAC-SHA1(secret, username))), or are static when configured so.
 */
import { createHmac } from 'node:crypto';
import type { IceConfig, IceServer } from '../lib/signaling/protocol';

export interface IceSettings {
  stunUrls: string[];
  turnUrls: string[];
  /** Shared secret for TURN REST credentials (coturn static-auth-secret). */
  turnSecret?: string;
  turnUsername?: string;
  turnPassword?: string;
  /** Lifetime of minted credentials. */
  turnTtlSeconds: number;
  iceTransportPolicy: 'all' | 'relay';
}

export function turnRestCredentials(secret: string, peerId: string, expiresAtSeconds: number): { username: string; credential: string } {
  const username = `${expiresAtSeconds}:${peerId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export function createIceConfig(settings: IceSettings, peerId: string, now: number = Date.now()): IceConfig {
  const iceServers: IceServer[] = [];
  if (settings.stunUrls.length > 0) iceServers.push({ urls: settings.stunUrls });
  let expiresAt: number | null = null;
  if (settings.turnUrls.length > 0) {
    if (settings.turnSecret) {
      const expiresAtSeconds = Math.floor(now / 1000) + settings.turnTtlSeconds;
      iceServers.push({ urls: settings.turnUrls, ...turnRestCredentials(settings.turnSecret, peerId, expiresAtSeconds) });
      expiresAt = expiresAtSeconds * 1000;
    } else {
      iceServers.push({ urls: settings.turnUrls, username: settings.turnUsername, credential: settings.turnPassword });
    }
  }
  return { iceServers, iceTransportPolicy: settings.iceTransportPolicy, expiresAt };
}
