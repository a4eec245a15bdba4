/**
 * Message: the protoo v4 wire format. Parsing never throws: a frame is either a
 * valid message or a reason it is not (with the request id when one could be read,
 * so the receiver can still answer with an error response). Creation functions build
 * frames exactly as protoo v4 documents them.
 */

export type JsonObject = { [key: string]: unknown };

export interface ProtooRequest<M extends string = string, D = unknown> {
  request: true;
  id: number;
  method: M;
  data: D;
}

export interface ProtooSuccessResponse<D = unknown> {
  response: true;
  id: number;
  ok: true;
  data: D;
}

/** `ok: false` as protoo v4 documents it; the official server omits `ok`, which parses the same. */
export interface ProtooErrorResponse {
  response: true;
  id: number;
  ok: false;
  errorCode: number;
  errorReason: string;
}

export type ProtooResponse<D = unknown> = ProtooSuccessResponse<D> | ProtooErrorResponse;

export interface ProtooNotification<M extends string = string, D = unknown> {
  notification: true;
  method: M;
  data: D;
}

export type ProtooMessage = ProtooRequest | ProtooResponse | ProtooNotification;

export type ParseResult =
  | { message: ProtooMessage; error?: undefined; requestId?: undefined }
  /** `requestId` is set when the frame was a request whose id could be read. */
  | { message?: undefined; error: string; requestId?: number };

/** Ids are per-peer counters; anything but a non-negative safe integer is malformed. */
function isValidId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `data` must be an object; absent or null reads as `{}` like protoo does. */
function readData(object: JsonObject): JsonObject | undefined {
  const data = object.data;
  if (data === undefined || data === null) return {};
  return isObject(data) ? data : undefined;
}

export function parseMessage(raw: string): ParseResult {
  let object: unknown;
  try {
    object = JSON.parse(raw);
  } catch {
    return { error: 'invalid JSON' };
  }
  if (!isObject(object)) return { error: 'not a JSON object' };

  const kinds = Number(object.request === true) + Number(object.response === true) + Number(object.notification === true);
  if (kinds !== 1) return { error: 'exactly one of request, response or notification must be true' };

  if (object.request === true) {
    if (!isValidId(object.id)) return { error: 'request id must be a non-negative safe integer' };
    const requestId = object.id;
    if (typeof object.method !== 'string' || object.method === '') return { error: 'request method must be a non-empty string', requestId };
    const data = readData(object);
    if (!data) return { error: 'request data must be an object', requestId };
    return { message: { request: true, id: requestId, method: object.method, data } };
  }

  if (object.response === true) {
    if (!isValidId(object.id)) return { error: 'response id must be a non-negative safe integer' };
    if (object.ok === true) {
      return { message: { response: true, id: object.id, ok: true, data: object.data ?? {} } };
    }
    if (object.ok !== undefined && object.ok !== false) return { error: 'response ok must be a boolean' };
    if (typeof object.errorCode !== 'number' || !Number.isFinite(object.errorCode)) return { error: 'error response errorCode must be a number' };
    if (object.errorReason !== undefined && typeof object.errorReason !== 'string') return { error: 'error response errorReason must be a string' };
    return {
      message: { response: true, id: object.id, ok: false, errorCode: object.errorCode, errorReason: object.errorReason ?? '' },
    };
  }

  if (typeof object.method !== 'string' || object.method === '') return { error: 'notification method must be a non-empty string' };
  const data = readData(object);
  if (!data) return { error: 'notification data must be an object' };
  return { message: { notification: true, method: object.method, data } };
}

export function createRequest<M extends string, D>(id: number, method: M, data: D): ProtooRequest<M, D> {
  return { request: true, id, method, data };
}

export function createSuccessResponse<D>(id: number, data: D): ProtooSuccessResponse<D> {
  return { response: true, id, ok: true, data };
}

export function createErrorResponse(id: number, errorCode: number, errorReason: string): ProtooErrorResponse {
  return { response: true, id, ok: false, errorCode, errorReason };
}

export function createNotification<M extends string, D>(method: M, data: D): ProtooNotification<M, D> {
  return { notification: true, method, data };
}

/**
 * Message data serialized to JSON once, to go into several frames: a chat message is
 * both the response to its sender and the notification to the room. A frame built
 * around it is the same text JSON.stringify gives for the whole message.
 */
export class SerializedData<D = unknown> {
  readonly data: D;
  readonly json: string;

  constructor(data: D) {
    this.data = data;
    this.json = toJson(data);
  }
}

/** JSON.stringify, but throws instead of returning undefined (for a function, say). */
function toJson(value: unknown): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError(`${typeof value} is not JSON data`);
  return json;
}

/** Data as JSON text: serialized now, or taken as it is when already serialized. */
function dataJson(data: unknown): string {
  return data instanceof SerializedData ? data.json : toJson(data ?? {});
}

/** The text of a success response; throws when `data` cannot be serialized. */
export function successResponseText(id: number, data: unknown): string {
  return `{"response":true,"id":${id},"ok":true,"data":${dataJson(data)}}`;
}

/** The text of a notification; throws when `data` cannot be serialized. */
export function notificationText(method: string, data: unknown): string {
  return `{"notification":true,"method":${JSON.stringify(method)},"data":${dataJson(data)}}`;
}
