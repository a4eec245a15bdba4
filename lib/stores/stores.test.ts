import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, PeerInfo } from '../signaling/protocol';
import { chatActions, chatStore, connectionActions, connectionStore, peersActions, peersStore, resetStores, uiActions, uiStore } from '.';

const info = (id: string): PeerInfo => ({ id, displayName: id, presence: { show: 'chat' }, fields: {}, joinedAt: 1, connection: 'connected' });
const message = (seq: number, id = `m${seq}`): ChatMessage => ({ id, seq, from: 'a', fromName: 'A', text: `t${seq}`, ts: seq });

describe('stores', () => {
  beforeEach(() => resetStores());

  describe('peers', () => {
    it('keeps join order, updates one peer, and keeps link state on upsert', () => {
      peersActions.upsert(info('b'));
      peersActions.upsert(info('a'));
      peersActions.setLink('b', 'connected');
      peersActions.upsert({ ...info('b'), displayName: 'Bee' });
      peersActions.update('a', { presence: { show: 'away' } });
      const state = peersStore.getState();
      expect(state.order).toEqual(['b', 'a']);
      expect(state.byId.b).toMatchObject({ displayName: 'Bee', link: 'connected' });
      expect(state.byId.a!.presence).toEqual({ show: 'away' });
    });

    it('does not create a new state for no-op changes, and ignores unknown peers', () => {
      peersActions.upsert(info('a'));
      const before = peersStore.getState();
      peersActions.setSpeaking('a', false);
      peersActions.update('ghost', { displayName: 'x' });
      peersActions.remove('ghost');
      expect(peersStore.getState()).toBe(before);
      peersActions.mediaChanged('a', true);
      expect(peersStore.getState().byId.a).toMatchObject({ hasScreen: true, mediaVersion: 1 });
      peersActions.remove('a');
      expect(peersStore.getState()).toEqual({ order: [], byId: {} });
    });
  });

  describe('chat', () => {
    it('merges without duplicates, in seq order, counting unread only when asked', () => {
      chatActions.add([message(2), message(1)], false);
      chatActions.add([message(2), message(3)], true);
      expect(chatStore.getState().messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(chatStore.getState().unread).toBe(1);
      chatActions.markRead();
      expect(chatStore.getState().unread).toBe(0);
    });
  });

  describe('chat: ours on the way', () => {
    it('shows a message as sending until it is sent (then listed) or fails (kept, with why, to send again or remove)', () => {
      const first = chatActions.sending('hello');
      const second = chatActions.sending('psst', 'b');
      expect(chatStore.getState().outgoing).toEqual([
        { key: first, text: 'hello', error: null },
        { key: second, text: 'psst', to: 'b', error: null },
      ]);
      chatActions.sent(first, message(1));
      expect(chatStore.getState()).toMatchObject({ outgoing: [{ key: second }], messages: [message(1)], unread: 0 });
      chatActions.failed(second, 'Not sent');
      expect(chatStore.getState().outgoing).toEqual([{ key: second, text: 'psst', to: 'b', error: 'Not sent' }]);
      chatActions.retrying(second);
      expect(chatStore.getState().outgoing).toEqual([{ key: second, text: 'psst', to: 'b', error: null }]);
      chatActions.failed(second, 'Not sent');
      chatActions.drop(second);
      expect(chatStore.getState()).toMatchObject({ outgoing: [], messages: [message(1)] });
    });

    it('forgets outgoing messages on reset', () => {
      chatActions.failed(chatActions.sending('x'), 'e');
      resetStores();
      expect(chatStore.getState()).toEqual({ messages: [], unread: 0, outgoing: [] });
    });
  });

  describe('ui', () => {
    it('toggles panels, pins and unpins, and caps toasts', () => {
      uiActions.togglePanel('chat');
      expect(uiStore.getState().panel).toBe('chat');
      uiActions.togglePanel('participants');
      expect(uiStore.getState().panel).toBe('participants');
      uiActions.togglePanel('participants');
      expect(uiStore.getState().panel).toBeNull();
      uiActions.pin('bob');
      uiActions.pin('bob');
      expect(uiStore.getState().pinned).toBeNull();
      const ids = [1, 2, 3, 4, 5].map((n) => uiActions.toast(`t${n}`));
      expect(uiStore.getState().toasts.map((t) => t.text)).toEqual(['t2', 't3', 't4', 't5']);
      uiActions.dismiss(ids[4]!);
      expect(uiStore.getState().toasts).toHaveLength(3);
    });
  });

  describe('connection', () => {
    it('ends with a reason', () => {
      connectionActions.set({ phase: 'joined', signaling: 'connected' });
      connectionActions.end('roomFull');
      expect(connectionStore.getState()).toMatchObject({ phase: 'ended', signaling: 'closed', endReason: 'roomFull' });
    });
  });
});
