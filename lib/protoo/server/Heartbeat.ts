/**
 * Heartbeat: visits every open connection twice per interval, spread over the interval;
 * the connection pings its client, or not, at each visit (WebSocketTransport.heartbeat):
 * - something came from the client since the last visit: it is alive, no ping;
 * - nothing came: it is pinged;
 * - nothing came since it was pinged at the last visit: it is terminated.
 * So a quiet client is pinged once per interval, a client that talks is never pinged,
 * and a dead connection goes within 1.5 intervals of the last thing it sent.
 *
 * Visiting all connections in one tick stops the server for as long as the pings take,
 * and the pongs then arrive together: with 5,000 connections that was about 100 ms
 * every interval, which every chat and signal arriving meanwhile waited out. So the
 * connections are split into groups (a new one joins the smallest) and one group is
 * visited per step of 100 ms (docs/performance.md, "What changed"): a round of the
 * groups is half an interval. An interval under 400 ms is one group; over 10 s,
 * 50 groups with longer steps.
 */

/** What the heartbeat needs of a connection: a visit, which reports it gone (false). */
export interface HeartbeatMember {
  heartbeat(): boolean;
}

/** The heartbeat's step: one group of connections is visited every this many ms. */
const STEP_MS = 100;
/** At most this many groups: a long interval gets longer steps instead. */
const MAX_GROUPS = 50;

export class Heartbeat<T extends HeartbeatMember> {
  readonly #groups: Set<T>[];
  readonly #timer: ReturnType<typeof setInterval> | undefined;
  /** The group the next step pings. */
  #turn = 0;
  /** Where the search for the smallest group starts: ties go round in turn. */
  #deal = 0;

  /** `interval` in ms; 0 keeps the members without visiting them. */
  constructor(interval: number) {
    const round = interval / 2;
    const groups = interval > 0 ? Math.min(MAX_GROUPS, Math.max(1, Math.floor(round / STEP_MS))) : 1;
    this.#groups = Array.from({ length: groups }, () => new Set<T>());
    if (interval > 0) {
      this.#timer = setInterval(() => this.step(), Math.max(1, Math.round(round / groups)));
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

  /** Visits the group whose turn it is, dropping the members that are gone. */
  step(): void {
    const group = this.#groups[this.#turn]!;
    this.#turn = (this.#turn + 1) % this.#groups.length;
    for (const member of group) {
      if (!member.heartbeat()) group.delete(member);
    }
  }

  /** Stops visiting; the members stay. */
  stop(): void {
    clearInterval(this.#timer);
  }
}
