/**
 * EnhancedEventEmitter: a small typed event emitter that runs in Node and in the
 * browser. Every emit catches and logs listener exceptions (and rejections of async
 * listeners), so one bad listener never kills a peer or a transport.
 *
 * `E` maps each event name to its listener's argument tuple.
 */
import type { Logger } from './Logger';

type AnyListener = (...args: never[]) => unknown;

export type EventMap<E> = { [K in keyof E]: unknown[] };

export class EnhancedEventEmitter<E extends EventMap<E>> {
  readonly #listeners = new Map<keyof E, Set<AnyListener>>();
  protected readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  on<K extends keyof E>(event: K, listener: (...args: E[K]) => unknown): this {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return this;
  }

  once<K extends keyof E>(event: K, listener: (...args: E[K]) => unknown): this {
    const wrapper = (...args: E[K]): unknown => {
      this.off(event, wrapper);
      return listener(...args);
    };
    return this.on(event, wrapper);
  }

  off<K extends keyof E>(event: K, listener: (...args: E[K]) => unknown): this {
    const set = this.#listeners.get(event);
    if (set?.delete(listener) && set.size === 0) this.#listeners.delete(event);
    return this;
  }

  removeAllListeners(event?: keyof E): this {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
    return this;
  }

  listenerCount(event: keyof E): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Calls every listener of `event`; returns false when there was none. Never throws. */
  protected safeEmit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    return this.safeEmitReporting(event, undefined, ...args);
  }

  /** Like safeEmit, and also reports a listener's exception (or rejection) to `onError`. */
  protected safeEmitReporting<K extends keyof E>(event: K, onError: ((error: unknown) => void) | undefined, ...args: E[K]): boolean {
    const set = this.#listeners.get(event);
    if (!set) return false;
    for (const listener of set) {
      try {
        const result = (listener as (...a: E[K]) => unknown)(...args);
        if (result instanceof Promise) result.catch((error: unknown) => this.#fail(event, error, onError));
      } catch (error) {
        this.#fail(event, error, onError);
      }
    }
    return true;
  }

  #fail(event: keyof E, error: unknown, onError: ((error: unknown) => void) | undefined): void {
    this.logger.error('listener of "%s" threw: %o', String(event), error);
    onError?.(error);
  }
}
