/**
 * EnhancedEventEmitter: a small typed event emitter that runs in Node and in the
 * browser. Every emit catches and logs listener exceptions (and rejections of async
 * listeners), so one bad listener never kills a peer or a transport.
 *
 * `E` maps each event name to its listener's argument tuple. Listeners are kept in one
 * flat array, `[event, listener or listeners, event, …]`, allocated on first use and
 * no longer than it needs to be: a server holds one emitter per connection for each of
 * several objects, so an emitter must cost next to nothing (a Map or a dictionary
 * object per emitter costs hundreds of bytes), and an emitter rarely has more than a
 * handful of events.
 */
import type { Logger } from './Logger';

type AnyListener = (...args: never[]) => unknown;

export type EventMap<E> = { [K in keyof E]: unknown[] };

type Slot = AnyListener | AnyListener[] | undefined;

export class EnhancedEventEmitter<E extends EventMap<E>> {
  #listeners: unknown[] | undefined;
  protected readonly logger: Logger;

  constructor(logger: Logger) {
    this.logger = logger;
  }

  #index(event: keyof E): number {
    const listeners = this.#listeners;
    if (!listeners) return -1;
    for (let i = 0; i < listeners.length; i += 2) if (listeners[i] === event) return i + 1;
    return -1;
  }

  #get(event: keyof E): Slot {
    const index = this.#index(event);
    return index === -1 ? undefined : (this.#listeners![index] as Slot);
  }

  #set(event: keyof E, slot: Slot): void {
    const index = this.#index(event);
    if (index !== -1) this.#listeners![index] = slot;
    // A new array of the exact length, not push(): a push grows an array's store to at
    // least 17 slots, about 150 bytes per emitter that holds two events.
    else this.#listeners = this.#listeners ? this.#listeners.concat([event, slot]) : [event, slot];
  }

  on<K extends keyof E>(event: K, listener: (...args: E[K]) => unknown): this {
    const current = this.#get(event);
    const added = listener as AnyListener;
    if (current === undefined) this.#set(event, added);
    else if (typeof current === 'function') {
      if (current !== added) this.#set(event, [current, added]);
    } else if (!current.includes(added)) current.push(added);
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
    const current = this.#get(event);
    if (current === undefined) return this;
    if (current === listener) this.#set(event, undefined);
    else if (typeof current !== 'function') {
      const remaining = current.filter((item) => item !== listener);
      this.#set(event, remaining.length === 0 ? undefined : remaining.length === 1 ? remaining[0] : remaining);
    }
    return this;
  }

  removeAllListeners(event?: keyof E): this {
    if (event === undefined) this.#listeners = undefined;
    else if (this.#index(event) !== -1) this.#set(event, undefined);
    return this;
  }

  listenerCount(event: keyof E): number {
    const current = this.#get(event);
    return current === undefined ? 0 : typeof current === 'function' ? 1 : current.length;
  }

  /** Calls every listener of `event`; returns false when there was none. Never throws. */
  protected safeEmit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    return this.safeEmitReporting(event, undefined, ...args);
  }

  /** Like safeEmit, and also reports a listener's exception (or rejection) to `onError`. */
  protected safeEmitReporting<K extends keyof E>(event: K, onError: ((error: unknown) => void) | undefined, ...args: E[K]): boolean {
    const current = this.#get(event);
    if (current === undefined) return false;
    if (typeof current === 'function') {
      this.#call(current, event, onError, args);
    } else {
      // A copy: listeners may remove themselves (once) while we iterate.
      for (const listener of current.slice()) this.#call(listener, event, onError, args);
    }
    return true;
  }

  #call<K extends keyof E>(listener: AnyListener, event: K, onError: ((error: unknown) => void) | undefined, args: E[K]): void {
    try {
      const result = (listener as (...a: E[K]) => unknown)(...args);
      if (result instanceof Promise) result.catch((error: unknown) => this.#fail(event, error, onError));
    } catch (error) {
      this.#fail(event, error, onError);
    }
  }

  #fail(event: keyof E, error: unknown, onError: ((error: unknown) => void) | undefined): void {
    this.logger.error('listener of "%s" threw: %o', String(event), error);
    onError?.(error);
  }
}
