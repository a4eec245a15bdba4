import { afterEach, describe, expect, it, vi } from 'vitest';
import { Heartbeat, type HeartbeatMember } from './Heartbeat';

/** A member that counts the heartbeat's visits, and is gone once `gone` is set. */
class Member implements HeartbeatMember {
  visits = 0;
  gone = false;
  heartbeat(): boolean {
    if (this.gone) return false;
    this.visits++;
    return true;
  }
}

function join(heartbeat: Heartbeat<Member>, count: number): Member[] {
  return Array.from({ length: count }, () => {
    const member = new Member();
    heartbeat.deal().add(member);
    return member;
  });
}

describe('Heartbeat', () => {
  let heartbeat: Heartbeat<Member> | undefined;
  afterEach(() => {
    heartbeat?.stop();
    heartbeat = undefined;
    vi.useRealTimers();
  });

  it('splits half the interval into steps of 100 ms, at most 50 of them', () => {
    const groupCount = (interval: number): number => {
      const made = new Heartbeat(interval);
      made.stop();
      return made.groupCount;
    };
    expect([10_000, 1_000, 600_000, 399, 50, 0].map(groupCount)).toEqual([50, 5, 50, 1, 1, 1]);
  });

  describe('#step', () => {
    it('visits one group per step, so each member once per round, in groups that differ by at most one', () => {
      heartbeat = new Heartbeat(2_000);
      const members = join(heartbeat, 25);
      const visitedPerStep: number[] = [];
      for (let step = 0; step < heartbeat.groupCount; step++) {
        const before = members.reduce((sum, member) => sum + member.visits, 0);
        heartbeat.step();
        visitedPerStep.push(members.reduce((sum, member) => sum + member.visits, 0) - before);
      }
      expect(visitedPerStep).toEqual([3, 3, 3, 3, 3, 2, 2, 2, 2, 2]);
      expect(members.map((member) => member.visits)).toEqual(members.map(() => 1));
    });

    it('deals a new member into the smallest group, so groups stay even as members leave', () => {
      heartbeat = new Heartbeat(1_000); // 5 groups
      const dealOne = (): Set<Member> => {
        const group = heartbeat!.deal();
        group.add(new Member());
        return group;
      };
      const groups = Array.from({ length: 10 }, dealOne);
      expect(new Set(groups).size).toBe(5);
      // Both members of the third group and one of the fifth leave.
      groups[2]!.clear();
      const fifth = groups[4]!;
      fifth.delete(fifth.values().next().value!);
      const dealt = [dealOne(), dealOne(), dealOne()];
      expect(dealt).toEqual([groups[2], groups[4], groups[2]]);
    });

    it('drops members that are gone at their turn, and counts the rest', () => {
      heartbeat = new Heartbeat(400); // 2 groups
      const members = join(heartbeat, 4);
      expect(heartbeat.size).toBe(4);
      members[0]!.gone = true;
      members[3]!.gone = true;
      heartbeat.step();
      expect(heartbeat.size).toBe(3);
      heartbeat.step();
      expect(heartbeat.size).toBe(2);
      expect(members.map((member) => member.visits)).toEqual([0, 1, 1, 0]);
    });
  });

  it('steps on its own timer until stopped, visiting each member twice per interval', () => {
    vi.useFakeTimers();
    heartbeat = new Heartbeat(2_000); // 10 groups, a step every 100 ms
    const members = join(heartbeat, 20);
    vi.advanceTimersByTime(100);
    expect(members.map((member) => member.visits).slice(0, 11)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    vi.advanceTimersByTime(900);
    expect(members.every((member) => member.visits === 1)).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(members.every((member) => member.visits === 2)).toBe(true);
    heartbeat.stop();
    vi.advanceTimersByTime(5_000);
    expect(members.every((member) => member.visits === 2)).toBe(true);
  });

  it('keeps members without visiting them when the interval is 0', () => {
    vi.useFakeTimers();
    heartbeat = new Heartbeat(0);
    const members = join(heartbeat, 3);
    vi.advanceTimersByTime(60_000);
    expect(heartbeat.size).toBe(3);
    expect(members.every((member) => member.visits === 0)).toBe(true);
  });
});
