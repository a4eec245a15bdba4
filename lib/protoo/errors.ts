/**
 * errors: what a request promise rejects with. A remote error response keeps its
 * code and reason; local failures (timeout, closed, disconnected, unsendable data)
 * have their own classes so callers can tell them apart with `instanceof`.
 */

/** The remote side answered with an error response. */
export class ResponseError extends Error {
  override readonly name = 'ResponseError';

  constructor(
    readonly code: number,
    reason: string,
  ) {
    super(reason);
  }
}

/** No response arrived within the request timeout. */
export class RequestTimeoutError extends Error {
  override readonly name = 'RequestTimeoutError';
}

/** The peer closed (or, on the client, its connection dropped) before the response came. */
export class PeerClosedError extends Error {
  override readonly name = 'PeerClosedError';
}

/** The message could not be sent: transport not open, or data not serializable. */
export class SendError extends Error {
  override readonly name = 'SendError';
}
