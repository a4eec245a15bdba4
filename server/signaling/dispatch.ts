/**
 * dispatch: runs one request through the same steps: known method, rate limit, scope
 * (joined or not), payload validation against the protocol schema, then its handler.
 * Every failure is an error response with a code from the protocol's table.
 */
import type { AcceptFn, IncomingRequest, RejectFn } from '../../lib/protoo/server';
import { ErrorCode, type ClientSends, type RequestName } from '../../lib/signaling/protocol';
import { AppError } from './AppError';
import type { Connection } from './Connection';
import type { Handler, HandlerContext, JoinedContext } from './handler';
import { handlers } from './handlers';
import type { Signaling } from './Signaling';

type ZodIssueLike = { code: string; path: PropertyKey[]; message: string; params?: unknown };

export function dispatch(
  signaling: Signaling,
  connection: Connection,
  request: IncomingRequest<ClientSends>,
  accept: AcceptFn<ClientSends>,
  reject: RejectFn,
): void {
  const method: string = request.method;
  const known = Object.hasOwn(handlers, method);
  signaling.metrics.request(known ? method : 'unknown');
  const fail = (code: number, reason: string): void => {
    signaling.metrics.error(code);
    reject(code, reason);
  };
  if (!known) return fail(ErrorCode.UNKNOWN_METHOD, `unknown method "${method.slice(0, 64)}"`);

  const name = method as RequestName;
  const handler = handlers[name] as Handler<RequestName>;
  const bucket = handler.bucket === 'signals' ? connection.signals : connection.requests;
  if (!bucket.take()) return fail(ErrorCode.RATE_LIMITED, 'rate limited: slow down');

  const afterResponse: (() => void)[] = [];
  const ctx: HandlerContext = { signaling, connection, after: (action) => afterResponse.push(action) };
  let joined: JoinedContext | undefined;
  if (handler.scope === 'joined') {
    const participant = connection.participant;
    const room = connection.roomId === undefined ? undefined : signaling.rooms.get(connection.roomId);
    if (!participant || !room) return fail(ErrorCode.NOT_JOINED, 'join the room first');
    joined = { ...ctx, participant, room };
  }

  const parsed = signaling.schemas[name].data.safeParse(request.data);
  if (!parsed.success) {
    const [code, reason] = describeIssue(parsed.error.issues[0]);
    return fail(code, reason);
  }

  try {
    const data = parsed.data as never;
    const response = handler.scope === 'joined' ? handler.handle(joined!, data) : handler.handle(ctx, data);
    accept(response);
  } catch (error) {
    if (error instanceof AppError) {
      fail(error.code, error.message);
    } else {
      signaling.logger.error({ err: error, method, peerId: connection.peerId }, 'request handler failed');
      fail(ErrorCode.INTERNAL, 'internal error');
    }
  }
  for (const action of afterResponse) action();
}

function describeIssue(issue: ZodIssueLike | undefined): [number, string] {
  if (!issue) return [ErrorCode.BAD_REQUEST, 'invalid payload'];
  const path = issue.path.map(String).join('.');
  const reason = path ? `${path}: ${issue.message}` : issue.message;
  const tooLarge = issue.code === 'too_big' || (typeof issue.params === 'object' && issue.params !== null && 'tooLarge' in issue.params && issue.params.tooLarge === true);
  return [tooLarge ? ErrorCode.TOO_LARGE : ErrorCode.BAD_REQUEST, reason.slice(0, 300)];
}
