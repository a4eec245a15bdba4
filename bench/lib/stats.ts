/** Small statistics and timing helpers for both benchmarks (signaling and browser). */

/** Nearest-rank percentile (p in 0..100) of values sorted ascending: the smallest with at least p% at or below it. */
function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function percentile(values: readonly number[], p: number): number {
  return nearestRank([...values].sort((a, b) => a - b), p);
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** A bounded sample of latencies (ms); past `capacity` values it keeps a uniform reservoir. */
export class Samples {
  readonly #values: Float64Array;
  #count = 0;
  #seen = 0;

  constructor(capacity = 1_000_000) {
    this.#values = new Float64Array(capacity);
  }

  add(value: number): void {
    this.#seen++;
    if (this.#count < this.#values.length) {
      this.#values[this.#count++] = value;
      return;
    }
    const slot = Math.floor(Math.random() * this.#seen);
    if (slot < this.#values.length) this.#values[slot] = value;
  }

  get count(): number {
    return this.#seen;
  }

  /** Adds what `other` holds (all it was given, unless it had to sample). */
  addFrom(other: Samples): void {
    for (let i = 0; i < other.#count; i++) this.add(other.#values[i]!);
  }

  /** Percentiles (0–100, nearest rank) of what was added; NaN when empty. */
  percentiles(...ps: number[]): number[] {
    if (this.#count === 0) return ps.map(() => Number.NaN);
    const sorted = this.#values.slice(0, this.#count).sort();
    return ps.map((p) => nearestRank(sorted, p));
  }
}

/** The median of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

/** `items` turned left by `by` places: rotate([a, b, c], 1) is [b, c, a]. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  if (items.length === 0) return [];
  const shift = by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `done()` is true, checking every `stepMs`, for at most `timeoutMs`.
 * Returns whether it became true.
 */
export async function waitUntil(done: () => boolean, timeoutMs: number, stepMs = 5): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  const maxSteps = Math.ceil(timeoutMs / stepMs) + 1;
  for (let step = 0; step < maxSteps; step++) {
    if (done()) return true;
    if (performance.now() >= deadline) break;
    await sleep(stepMs);
  }
  return done();
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` running at once. */
export async function pool(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
