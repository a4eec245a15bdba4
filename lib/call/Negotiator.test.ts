/**
 * Perfect negotiation against a fake peer connection that follows the JSEP signaling
 * state machine (including implicit rollback), connected through a fake signaling
 * channel that can deliver in order, late, or all at once.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isPolite, Negotiator, type NegotiablePeerConnection, type NegotiatorOptions } from './Negotiator';

let sdpCounter = 0;

class FakePeerConnection implements NegotiablePeerConnection {
  signalingState: RTCSignalingState = 'stable';
  localDescription: RTCSessionDescriptionInit | null = null;
  remoteDescription: RTCSessionDescriptionInit | null = null;
  readonly candidates: RTCIceCandidateInit[] = [];
  readonly log: string[] = [];
  /** The last descriptions both sides agreed on. */
  currentLocal: string | undefined;
  currentRemote: string | undefined;

  async setLocalDescription(description?: RTCSessionDescriptionInit): Promise<void> {
    await Promise.resolve();
    const type = description?.type ?? (this.signalingState === 'have-remote-offer' ? 'answer' : 'offer');
    if (type === 'offer') {
      if (this.signalingState !== 'stable' && this.signalingState !== 'have-local-offer') throw new Error(`InvalidStateError: offer in ${this.signalingState}`);
      this.localDescription = { type, sdp: `offer-${++sdpCounter}` };
      this.signalingState = 'have-local-offer';
    } else {
      if (this.signalingState !== 'have-remote-offer') throw new Error(`InvalidStateError: answer in ${this.signalingState}`);
      this.localDescription = { type: 'answer', sdp: `answer-${++sdpCounter}` };
      this.signalingState = 'stable';
      this.currentLocal = this.localDescription.sdp;
      this.currentRemote = this.remoteDescription!.sdp;
    }
    this.log.push(`sld:${type}`);
  }

  async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    await Promise.resolve();
    if (description.type === 'offer') {
      if (this.signalingState === 'have-local-offer') {
        // Implicit rollback of our own offer.
        this.signalingState = 'stable';
        this.localDescription = null;
        this.log.push('rollback');
      }
      if (this.signalingState !== 'stable') throw new Error(`InvalidStateError: remote offer in ${this.signalingState}`);
      this.remoteDescription = description;
      this.signalingState = 'have-remote-offer';
    } else {
      if (this.signalingState !== 'have-local-offer') throw new Error(`InvalidStateError: remote answer in ${this.signalingState}`);
      this.remoteDescription = description;
      this.signalingState = 'stable';
      this.currentLocal = this.localDescription!.sdp;
      this.currentRemote = description.sdp;
    }
    this.log.push(`srd:${description.type}`);
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    await Promise.resolve();
    if (!this.remoteDescription) throw new Error('InvalidStateError: no remote description');
    this.candidates.push(candidate);
  }
}

interface Side {
  pc: FakePeerConnection;
  negotiator: Negotiator;
  errors: unknown[];
  /** Signals this side sent, not yet delivered. */
  outbox: RTCSessionDescriptionInit[];
}

function side(id: string, otherId: string, options?: NegotiatorOptions): Side {
  const pc = new FakePeerConnection();
  const errors: unknown[] = [];
  const outbox: RTCSessionDescriptionInit[] = [];
  const negotiator = new Negotiator(
    pc,
    isPolite(id, otherId),
    {
      sendDescription: (description) => outbox.push(description),
      error: (error) => errors.push(error),
    },
    options,
  );
  return { pc, negotiator, errors, outbox };
}

/** Delivers every queued description both ways until nothing is in flight. */
async function settle(a: Side, b: Side): Promise<void> {
  for (let round = 0; round < 20; round++) {
    if (a.outbox.length === 0 && b.outbox.length === 0) return;
    const fromA = a.outbox.splice(0);
    const fromB = b.outbox.splice(0);
    await Promise.all([...fromA.map((d) => b.negotiator.receiveDescription(d)), ...fromB.map((d) => a.negotiator.receiveDescription(d))]);
  }
  throw new Error('negotiation did not settle');
}

function expectAgreed(a: Side, b: Side): void {
  expect(a.pc.signalingState).toBe('stable');
  expect(b.pc.signalingState).toBe('stable');
  expect(a.pc.currentLocal).toBeDefined();
  expect(a.pc.currentLocal).toBe(b.pc.currentRemote);
  expect(b.pc.currentLocal).toBe(a.pc.currentRemote);
  expect(a.errors).toEqual([]);
  expect(b.errors).toEqual([]);
}

describe('Negotiator', () => {
  it('chooses exactly one polite side from the two ids', () => {
    expect(isPolite('alice', 'bob')).toBe(false);
    expect(isPolite('bob', 'alice')).toBe(true);
  });

  it('negotiates when one side needs it', async () => {
    const alice = side('alice', 'bob');
    const bob = side('bob', 'alice');
    await alice.negotiator.negotiationNeeded();
    await settle(alice, bob);
    expectAgreed(alice, bob);
  });

  it('makes one offer when asked twice while making it (an offer at once, then the event)', async () => {
    const alice = side('alice', 'bob');
    const bob = side('bob', 'alice');
    await Promise.all([alice.negotiator.negotiationNeeded(), alice.negotiator.negotiationNeeded()]);
    expect(alice.outbox.map((d) => d.type)).toEqual(['offer']);
    expect(alice.pc.log).toEqual(['sld:offer']);
    await settle(alice, bob);
    expectAgreed(alice, bob);
  });

  it('resolves glare (both offer at once): the polite side rolls back and answers', async () => {
    const alice = side('alice', 'bob'); // impolite
    const bob = side('bob', 'alice'); // polite
    await Promise.all([alice.negotiator.negotiationNeeded(), bob.negotiator.negotiationNeeded()]);
    expect(alice.outbox[0]!.type).toBe('offer');
    expect(bob.outbox[0]!.type).toBe('offer');
    await settle(alice, bob);
    expectAgreed(alice, bob);
    expect(bob.pc.log).toContain('rollback');
    expect(alice.pc.log).not.toContain('rollback');
  });

  it('renegotiates (screen share on, then off) from either side without errors', async () => {
    const alice = side('alice', 'bob');
    const bob = side('bob', 'alice');
    await alice.negotiator.negotiationNeeded();
    await settle(alice, bob);
    for (const who of [bob, alice, bob]) {
      await who.negotiator.negotiationNeeded();
      await settle(alice, bob);
      expectAgreed(alice, bob);
    }
  });

  it('buffers remote candidates until a remote description exists', async () => {
    const alice = side('alice', 'bob');
    const bob = side('bob', 'alice');
    await alice.negotiator.negotiationNeeded();
    const early = [{ candidate: 'c1', sdpMid: '0' }, { candidate: 'c2', sdpMid: '0' }];
    await Promise.all(early.map((c) => bob.negotiator.receiveCandidate(c)));
    expect(bob.pc.candidates).toEqual([]);
    await settle(alice, bob);
    expect(bob.pc.candidates).toEqual(early);
    await bob.negotiator.receiveCandidate({ candidate: 'c3' });
    expect(bob.pc.candidates).toHaveLength(3);
    expect(bob.errors).toEqual([]);
  });

  it("ignores the candidates of an offer it ignored (impolite side in glare)", async () => {
    const alice = side('alice', 'bob'); // impolite
    const bob = side('bob', 'alice');
    await alice.negotiator.negotiationNeeded();
    await bob.negotiator.negotiationNeeded();
    await alice.negotiator.receiveDescription(bob.outbox.shift()!); // ignored
    // A candidate for that ignored offer: alice has no remote description yet, so it waits;
    // flushing it later must not surface an error even if it fails.
    await alice.negotiator.receiveCandidate({ candidate: 'for-ignored-offer' });
    await settle(alice, bob);
    expectAgreed(alice, bob);
  });

  it('processes signals in order even when they arrive in one burst', async () => {
    const alice = side('alice', 'bob');
    const bob = side('bob', 'alice');
    await alice.negotiator.negotiationNeeded();
    const offer = alice.outbox.shift()!;
    // Offer and its candidates arrive back to back without awaiting in between.
    const done = [bob.negotiator.receiveDescription(offer), bob.negotiator.receiveCandidate({ candidate: 'x' }), bob.negotiator.receiveCandidate({ candidate: 'y' })];
    await Promise.all(done);
    expect(bob.pc.candidates.map((c) => c.candidate)).toEqual(['x', 'y']);
    await settle(alice, bob);
    expectAgreed(alice, bob);
  });

  it('reports real failures and does nothing after close', async () => {
    const alice = side('alice', 'bob');
    await alice.negotiator.receiveDescription({ type: 'answer', sdp: 'unexpected' });
    expect(alice.errors).toHaveLength(1);
    alice.negotiator.close();
    await alice.negotiator.receiveDescription({ type: 'offer', sdp: 'late' });
    expect(alice.pc.signalingState).toBe('stable');
    expect(alice.errors).toHaveLength(1);
  });

  describe('an offer lost on the way (a signaling socket that died silently)', () => {
    const RESEND = { resendAfterMs: 1000, maxResends: 3 };
    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    it('sends an offer that was lost again, and the negotiation completes', async () => {
      const alice = side('alice', 'bob', RESEND);
      const bob = side('bob', 'alice');
      await alice.negotiator.negotiationNeeded();
      const offer = alice.outbox.splice(0)[0]!;
      await vi.advanceTimersByTimeAsync(999);
      expect(alice.outbox).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(alice.outbox).toEqual([offer]);
      await settle(alice, bob);
      expectAgreed(alice, bob);
      // Answered: no more copies.
      await vi.advanceTimersByTimeAsync(10_000);
      expect(alice.outbox).toEqual([]);
    });

    it('sends a first offer again as it is now, with the candidates gathered since', async () => {
      const alice = side('alice', 'bob', RESEND);
      const bob = side('bob', 'alice');
      await alice.negotiator.negotiationNeeded();
      const offer = alice.outbox.splice(0)[0]!;
      // A browser adds each gathered candidate to the pending local description.
      alice.pc.localDescription = { type: 'offer', sdp: `${offer.sdp}\na=candidate:1` };
      await vi.advanceTimersByTimeAsync(1000);
      expect(alice.outbox).toEqual([{ type: 'offer', sdp: `${offer.sdp}\na=candidate:1` }]);
      await settle(alice, bob);
      expect([alice.pc.signalingState, bob.pc.signalingState]).toEqual(['stable', 'stable']);
      expect([alice.errors, bob.errors]).toEqual([[], []]);
    });

    it('sends the offer again when its answer was lost; the other side answers the copy', async () => {
      const alice = side('alice', 'bob', RESEND);
      const bob = side('bob', 'alice');
      await alice.negotiator.negotiationNeeded();
      await bob.negotiator.receiveDescription(alice.outbox.shift()!);
      expect(bob.outbox.splice(0).map((d) => d.type)).toEqual(['answer']);
      await vi.advanceTimersByTimeAsync(1000);
      await settle(alice, bob);
      expectAgreed(alice, bob);
      expect(bob.pc.log).toEqual(['srd:offer', 'sld:answer', 'srd:offer', 'sld:answer']);
    });

    it('drops the answer to a copy when the first answer was only late', async () => {
      const alice = side('alice', 'bob', RESEND);
      const bob = side('bob', 'alice');
      await alice.negotiator.negotiationNeeded();
      await bob.negotiator.receiveDescription(alice.outbox.shift()!);
      const lateAnswer = bob.outbox.shift()!;
      await vi.advanceTimersByTimeAsync(1000);
      expect(alice.outbox.map((d) => d.type)).toEqual(['offer']);
      await alice.negotiator.receiveDescription(lateAnswer);
      expect(alice.pc.signalingState).toBe('stable');
      // Bob answers the copy too (the same media: a browser's answer to the same offer
      // differs only in its version); Alice, stable, drops that answer without an error.
      await settle(alice, bob);
      expect(alice.pc.log).toEqual(['sld:offer', 'srd:answer']);
      expect(bob.pc.log).toEqual(['srd:offer', 'sld:answer', 'srd:offer', 'sld:answer']);
      expect([alice.pc.signalingState, bob.pc.signalingState]).toEqual(['stable', 'stable']);
      expect(bob.pc.currentRemote).toBe(alice.pc.currentLocal);
      expect([alice.errors, bob.errors]).toEqual([[], []]);
    });

    it('stops after the most copies, and never sends an offer it no longer has', async () => {
      const alice = side('alice', 'bob', RESEND);
      await alice.negotiator.negotiationNeeded();
      alice.outbox.splice(0);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(alice.outbox.map((d) => d.type)).toEqual(['offer', 'offer', 'offer']);

      // The polite side's offer is rolled back by a colliding one: nothing to send again.
      const bob = side('bob', 'alice', RESEND); // polite
      const carol = side('alice', 'bob');
      await bob.negotiator.negotiationNeeded();
      await carol.negotiator.negotiationNeeded();
      bob.outbox.splice(0);
      await bob.negotiator.receiveDescription(carol.outbox.shift()!);
      expect(bob.outbox.map((d) => d.type)).toEqual(['answer']);
      await vi.advanceTimersByTimeAsync(10_000);
      expect(bob.outbox.map((d) => d.type)).toEqual(['answer']);
    });

    it('sends nothing after close', async () => {
      const alice = side('alice', 'bob', RESEND);
      await alice.negotiator.negotiationNeeded();
      alice.outbox.splice(0);
      alice.negotiator.close();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(alice.outbox).toEqual([]);
    });
  });
});
