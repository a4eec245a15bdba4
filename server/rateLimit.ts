/**
 * TokenBucket: a per-connection rate limit. Holds up to `burst` tokens, refilled at
 * `perSecond`; each action takes one. Time comes from the caller so tests and the hot
 * path read the clock once.
 */
export class TokenBucket {
  readonly #perMs: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;

  constructor(perSecond: number, burst: number, now: number = Date.now()) {
    this.#perMs = perSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes a token if there is one. */
  take(now: number = Date.now()): boolean {
    const elapsed = now - this.#updatedAt;
    if (elapsed > 0) {
      this.#tokens = Math.min(this.#burst, this.#tokens + elapsed * this.#perMs);
      this.#updatedAt = now;
    }
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
