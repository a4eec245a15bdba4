/**
 * Heartbeat: pings every open connection once per interval, spread over the interval.
 *
 * Pinging all connections in one tick stops the server for as long as the pings take,
 * and the pongs then arrive together: with 5,000 connections that was about 100 ms
 * every interval, which every chat and signal arriving meanwhile waited out. So the
 * connections are split into groups (a new one joins the smallest) and one group is
 * pinged per step of 100 ms (docs/performance.md, "What changed"). An interval under
 * 200 ms is one group; over 10 s, 100 groups with longer steps.
 * Each connection is still pinged once per interval, and one that did not answer is
 * terminated at its next turn.
 */

/** What the heartbeat needs of a connection: ping it, or report it gone (false). */
export interface HeartbeatMember {
  heartbeat(): boolean;
}

/** The heartbeat's step: one group of connections is pinged every this many ms. */
const STEP_MS = 100;
/** At most this many groups: a long interval gets longer steps instead. */
const MAX_GROUPS = 100;

export class Heartbeat<T extends HeartbeatMember> {
  readonly #groups: Set<T>[];
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  /** The group the next step pings. */
  #turn = 0;
  /** Where the search for the smallest group starts: ties go round in turn. */
  #deal = 0;

  /** `interval` in ms; 0 keeps the members without pinging them. */
  constructor(interval: number) {
    const groups = interval > 0 ? Math.min(MAX_GROUPS, Math.max(1, Math.floor(interval / STEP_MS))) : 1;
    this.#groups = Array.from({ length: groups }, () => new Set<T>());
    if (interval > 0) {
      this.#timer = setInterval(() => this.step(), Math.max(1, Math.round(interval / groups)));
      this.#timer.unref?.();
    }
  }

  /** Number of groups the interval is split into. */
  get groupCount(): number {
    return this.#groups.length;
  }

  /** Number of members. */
  get size(): number {
    let size = 0;
    for (const group of this.#groups) size += group.size;
    return size;
  }

  /**
   * The group a new member joins: the smallest, so that groups stay even however
   * members come and go (ties in turn). The member adds itself to it and leaves it when
   * it closes (WebSocketTransport.register).
   */
  deal(): Set<T> {
    const count = this.#groups.length;
    let chosen = this.#deal;
    for (let offset = 1; offset < count; offset++) {
      const index = (this.#deal + offset) % count;
      if (this.#groups[index]!.size < this.#groups[chosen]!.size) chosen = index;
    }
    this.#deal = (chosen + 1) % count;
    return this.#groups[chosen]!;
  }

  /** Pings the group whose turn it is, dropping the members that are gone. */
  step(): void {
    const group = this.#groups[this.#turn]!;
    this.#turn = (this.#turn + 1) % this.#groups.length;
    for (const member of group) {
      if (!member.heartbeat()) group.delete(member);
    }
  }

  /** Stops pinging; the members stay. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
