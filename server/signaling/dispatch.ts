/**
 * dispatch: runs one request through the same steps: known method, rate limit, scope
 * (joined or not), payload validation against the protocol schema (or its fast path,
 * fastPaths.ts), then its handler.
 * Every failure is an error response with a code from the protocol's table. This is
 * the hot path: no closure or array is allocated per request, and a request finds
 * everything about its method with one Map lookup (`Routes`).
 */
import type { IncomingRequest } from '../../lib/protoo/server';
import { createRequestSchemas, ErrorCode, type ClientSends, type Limits, type RequestName } from '../../lib/signaling/protocol';
import { AppError } from './AppError';
import type { Connection } from './Connection';
import { fastPaths } from './fastPaths';
import { RequestContext, type Handler } from './handler';
import { handlers } from './handlers';
import type { Signaling } from './Signaling';

type ZodIssueLike = { code: string; path: PropertyKey[]; message: string; params?: unknown };

/** What dispatch needs to know about one request method. */
interface Route {
  readonly handler: Handler<RequestName>;
  readonly fastPath: ((data: unknown, limits: Limits) => unknown) | undefined;
  readonly schema: { safeParse(data: unknown): { success: true; data: unknown } | { success: false; error: { issues: ZodIssueLike[] } } };
}

/** Every request method's route, by method name, with the schemas built for `limits`. */
export type Routes = ReadonlyMap<string, Route>;

export function createRoutes(limits: Limits): Routes {
  const schemas = createRequestSchemas(limits);
  const routes = new Map<string, Route>();
  for (const method of Object.keys(handlers) as RequestName[]) {
    routes.set(method, {
      handler: handlers[method],
      fastPath: fastPaths[method],
      schema: schemas[method].data,
    });
  }
  return routes;
}

function fail(signaling: Signaling, connection: Connection, request: IncomingRequest<ClientSends>, code: number, reason: string): void {
  signaling.metrics.error(code);
  connection.peer.respondError(request, code, reason);
}

export function dispatch(signaling: Signaling, connection: Connection, request: IncomingRequest<ClientSends>): void {
  const method: string = request.method;
  const route = signaling.routes.get(method);
  signaling.metrics.request(route ? method : 'unknown');
  if (!route) return fail(signaling, connection, request, ErrorCode.UNKNOWN_METHOD, `unknown method "${method.slice(0, 64)}"`);

  const handler = route.handler;
  const bucket = handler.bucket === 'signals' ? connection.signals : connection.requests;
  if (!bucket.take()) return fail(signaling, connection, request, ErrorCode.RATE_LIMITED, 'rate limited: slow down');

  let ctx: RequestContext;
  if (handler.scope === 'joined') {
    const participant = connection.participant;
    const room = participant && connection.roomId !== undefined ? signaling.rooms.get(connection.roomId) : undefined;
    if (!participant || !room) return fail(signaling, connection, request, ErrorCode.NOT_JOINED, 'join the room first');
    ctx = new RequestContext(signaling, connection, participant, room);
  } else {
    ctx = new RequestContext(signaling, connection);
  }

  let data: unknown = route.fastPath?.(request.data, signaling.limits);
  if (data === undefined) {
    const parsed = route.schema.safeParse(request.data);
    if (!parsed.success) {
      const [code, reason] = describeIssue(parsed.error.issues[0]);
      return fail(signaling, connection, request, code, reason);
    }
    data = parsed.data;
  }

  try {
    connection.peer.respond(request, handler.handle(ctx, data as never));
  } catch (error) {
    if (error instanceof AppError) {
      fail(signaling, connection, request, error.code, error.message);
    } else {
      signaling.logger.error({ err: error, method, peerId: connection.peerId }, 'request handler failed');
      fail(signaling, connection, request, ErrorCode.INTERNAL, 'internal error');
    }
  }
  if (ctx.afterResponse) for (const action of ctx.afterResponse) action();
}

function describeIssue(issue: ZodIssueLike | undefined): [number, string] {
  if (!issue) return [ErrorCode.BAD_REQUEST, 'invalid payload'];
  const path = issue.path.map(String).join('.');
  const reason = path ? `${path}: ${issue.message}` : issue.message;
  const tooLarge = issue.code === 'too_big' || (typeof issue.params === 'object' && issue.params !== null && 'tooLarge' in issue.params && issue.params.tooLarge === true);
  return [tooLarge ? ErrorCode.TOO_LARGE : ErrorCode.BAD_REQUEST, reason.slice(0, 300)];
}
