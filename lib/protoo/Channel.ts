/**
 * Channel: the request/response/notification machinery shared by the server-side
 * and client-side peers. It numbers outgoing requests with a per-peer counter,
 * matches responses, times requests out, answers every incoming request exactly
 * once, and turns malformed frames into a log line (plus an error response when the
 * frame was a request whose id could be read). Nothing here throws out of `receive`.
 */
import type { Logger } from './Logger';
import {
  createErrorResponse,
  createRequest,
  notificationText,
  parseMessage,
  successResponseText,
  type ProtooNotification,
  type ProtooRequest,
  type ProtooResponse,
} from './Message';
import { PeerClosedError, RequestTimeoutError, ResponseError, SendError } from './errors';
import type { AcceptFn, IncomingNotification, IncomingRequest, Protocol, RejectFn } from './types';

export const DEFAULT_REQUEST_TIMEOUT = 20_000;

/** Error codes the library itself answers with. */
export const ErrorCode = {
  BAD_REQUEST: 400,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
} as const;

export interface ChannelOptions {
  /** Milliseconds to wait for a response before rejecting with RequestTimeoutError. */
  requestTimeout?: number;
}

interface PendingRequest {
  method: string;
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * What the owning peer provides: how to send a frame and where received messages go.
 * Every method gets the owner first, so one host object serves every peer of a kind
 * (a host of closures per peer would cost about 300 bytes a connection on a server).
 */
export interface ChannelHost<Owner, In extends Protocol> {
  /** Sends one text frame; throws SendError when the transport is not open. */
  sendFrame(owner: Owner, frame: string): void;
  /**
   * A direct handler for requests, when the application set one: returns true when it
   * took the request (and will answer it with respond()/respondError()).
   */
  handleDirect?(owner: Owner, request: IncomingRequest<In>): boolean;
  /**
   * Hands a request to the application; returns false when nobody listens.
   * `onError` is called when a listener throws (or its promise rejects).
   */
  emitRequest(owner: Owner, request: IncomingRequest<In>, accept: AcceptFn<In>, reject: RejectFn, onError: (error: unknown) => void): boolean;
  emitNotification(owner: Owner, notification: IncomingNotification<In>): void;
}

export class Channel<In extends Protocol, Owner = unknown> {
  readonly #owner: Owner;
  readonly #host: ChannelHost<Owner, In>;
  readonly #logger: Logger;
  readonly #requestTimeout: number;
  /** Requests awaiting their response, created on the first request (servers rarely send any). */
  #pending: Map<number, PendingRequest> | undefined;
  #lastRequestId = 0;

  constructor(owner: Owner, host: ChannelHost<Owner, In>, logger: Logger, options: ChannelOptions = {}) {
    this.#owner = owner;
    this.#host = host;
    this.#logger = logger;
    this.#requestTimeout = options.requestTimeout ?? DEFAULT_REQUEST_TIMEOUT;
  }

  request(method: string, data: unknown): Promise<unknown> {
    const id = ++this.#lastRequestId;
    let frame: string;
    try {
      frame = JSON.stringify(createRequest(id, method, data ?? {}));
    } catch (error) {
      return Promise.reject(new SendError(`request "${method}" data is not serializable: ${describe(error)}`));
    }
    return new Promise((resolve, reject) => {
      try {
        this.#host.sendFrame(this.#owner, frame);
      } catch (error) {
        reject(toSendError(error));
        return;
      }
      const pendingRequests = (this.#pending ??= new Map());
      const timer = setTimeout(() => {
        if (pendingRequests.delete(id)) {
          reject(new RequestTimeoutError(`request "${method}" timed out after ${this.#requestTimeout} ms`));
        }
      }, this.#requestTimeout);
      pendingRequests.set(id, { method, resolve, reject, timer });
    });
  }

  async notify(method: string, data: unknown): Promise<void> {
    let frame: string;
    try {
      frame = notificationText(method, data);
    } catch (error) {
      throw new SendError(`notification "${method}" data is not serializable: ${describe(error)}`);
    }
    try {
      this.#host.sendFrame(this.#owner, frame);
    } catch (error) {
      throw toSendError(error);
    }
  }

  /** Rejects every pending request (peer closed or disconnected). */
  rejectAll(reason: string): void {
    const pendingRequests = this.#pending;
    if (!pendingRequests) return;
    for (const [id, pending] of pendingRequests) {
      pendingRequests.delete(id);
      clearTimeout(pending.timer);
      pending.reject(new PeerClosedError(`request "${pending.method}" failed: ${reason}`));
    }
  }

  /** Handles one received text frame. Never throws. */
  receive(frame: string): void {
    const result = parseMessage(frame);
    if (result.error !== undefined) {
      this.#logger.warn('dropping malformed frame: %s', result.error);
      if (result.requestId !== undefined) {
        this.#trySend(createErrorResponse(result.requestId, ErrorCode.BAD_REQUEST, `malformed request: ${result.error}`));
      }
      return;
    }
    const message = result.message;
    if ('request' in message) this.#handleRequest(message);
    else if ('response' in message) this.#handleResponse(message);
    else this.#host.emitNotification(this.#owner, message as IncomingNotification<In>);
  }

  /** Answers request `id` with success `data` (for direct handlers). */
  respond(id: number, data: unknown): void {
    let frame: string;
    try {
      frame = successResponseText(id, data);
    } catch (error) {
      this.#logger.error('response to request %s is not serializable: %s', id, describe(error));
      frame = JSON.stringify(createErrorResponse(id, ErrorCode.INTERNAL, 'response not serializable'));
    }
    this.#trySendFrame(frame);
  }

  /** Answers request `id` with an error (for direct handlers). */
  respondError(id: number, errorCode: number, errorReason: string): void {
    this.#trySend(createErrorResponse(id, errorCode, errorReason));
  }

  #handleRequest(request: ProtooRequest): void {
    if (this.#host.handleDirect?.(this.#owner, request)) return;
    let replied = false;
    const accept: AcceptFn<In> = (data) => {
      if (replied) {
        this.#logger.warn('accept() ignored: request %s "%s" already answered', request.id, request.method);
        return;
      }
      replied = true;
      this.respond(request.id, data);
    };
    const reject = ((codeOrError: number | Error, reason?: string): void => {
      if (replied) {
        this.#logger.warn('reject() ignored: request %s "%s" already answered', request.id, request.method);
        return;
      }
      replied = true;
      const [code, text] = errorCodeAndReason(codeOrError, reason);
      this.#trySend(createErrorResponse(request.id, code, text));
    }) as RejectFn;
    const onError = (error: unknown): void => {
      if (!replied) reject(ErrorCode.INTERNAL, describe(error));
    };
    const heard = this.#host.emitRequest(this.#owner, request, accept, reject, onError);
    if (!heard) reject(ErrorCode.NOT_IMPLEMENTED, `no handler for request "${request.method}"`);
  }

  #handleResponse(response: ProtooResponse): void {
    const pending = this.#pending?.get(response.id);
    if (!pending) {
      this.#logger.warn('dropping response to unknown request id %s', response.id);
      return;
    }
    this.#pending!.delete(response.id);
    clearTimeout(pending.timer);
    if (response.ok) pending.resolve(response.data);
    else pending.reject(new ResponseError(response.errorCode, response.errorReason));
  }

  #trySend(message: ProtooResponse | ProtooNotification): void {
    this.#trySendFrame(JSON.stringify(message));
  }

  #trySendFrame(frame: string): void {
    try {
      this.#host.sendFrame(this.#owner, frame);
    } catch (error) {
      this.#logger.debug('could not send response: %s', describe(error));
    }
  }
}

function errorCodeAndReason(codeOrError: number | Error, reason: string | undefined): [number, string] {
  if (codeOrError instanceof Error) {
    const code = (codeOrError as Error & { code?: unknown }).code;
    return [typeof code === 'number' && Number.isFinite(code) ? code : ErrorCode.INTERNAL, codeOrError.message];
  }
  const code = typeof codeOrError === 'number' && Number.isFinite(codeOrError) ? codeOrError : ErrorCode.INTERNAL;
  return [code, typeof reason === 'string' ? reason : ''];
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toSendError(error: unknown): SendError {
  return error instanceof SendError ? error : new SendError(describe(error));
}
