/**
 * identity: this tab's peer id and resume token per room, kept in sessionStorage so a
 * page reload resumes the same identity (the others see no leave/join). Each tab has its
 * own sessionStorage, so two tabs are two participants.
 */

export interface Identity {
  peerId: string;
  resumeToken?: string;
}

const key = (roomId: string): string => `confab:identity:${roomId}`;

export function newPeerId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (byte) => 'abcdefghijklmnopqrstuvwxyz0123456789'[byte % 36]).join('');
}

export function loadIdentity(roomId: string): Identity {
  try {
    const saved = JSON.parse(sessionStorage.getItem(key(roomId)) ?? 'null') as Identity | null;
    if (saved && typeof saved.peerId === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(saved.peerId)) return saved;
  } catch {
    // A corrupt entry is replaced below.
  }
  return { peerId: newPeerId() };
}

export function saveIdentity(roomId: string, identity: Identity): void {
  try {
    sessionStorage.setItem(key(roomId), JSON.stringify(identity));
  } catch {
    // Storage may be full or disabled: a reload then joins as someone new.
  }
}

export function forgetIdentity(roomId: string): void {
  try {
    sessionStorage.removeItem(key(roomId));
  } catch {
    // Nothing to forget.
  }
}
