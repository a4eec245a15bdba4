/**
 * connection store: where the call is.
 *
 * {
 *   phase: 'prejoin' | 'joining' | 'joined' | 'ended'
 *   signaling: 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed'
 *   selfId: string | null        our peer id in the room
 *   endReason: EndReason | null  why the call ended (phase 'ended')
 *   joinError: string | null     why the last join attempt failed (stays in 'prejoin')
 * }
 */
import { createStore } from 'zustand/vanilla';

export type CallPhase = 'prejoin' | 'joining' | 'joined' | 'ended';
export type SignalingStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';
export type EndReason = 'left' | 'roomFull' | 'serverFull' | 'serverClosing' | 'lost' | 'replaced' | 'refused' | 'error';

export interface ConnectionState {
  phase: CallPhase;
  signaling: SignalingStatus;
  selfId: string | null;
  endReason: EndReason | null;
  joinError: string | null;
}

const initial: ConnectionState = { phase: 'prejoin', signaling: 'idle', selfId: null, endReason: null, joinError: null };

export const connectionStore = createStore<ConnectionState>()(() => ({ ...initial }));

export const connectionActions = {
  reset: (): void => connectionStore.setState({ ...initial }, true),
  set: (patch: Partial<ConnectionState>): void => connectionStore.setState(patch),
  end: (endReason: EndReason): void => connectionStore.setState({ phase: 'ended', signaling: 'closed', endReason }),
};
