/**
 * fastPaths: the most frequent requests (chat, and join, once per connection) checked
 * without zod when they are plainly valid.
 * A fast path accepts only what its schema accepts, and returns what the schema would
 * return; anything else (an error, an unusual shape) returns undefined and goes to the
 * schema, which also words the error. fastPaths.test.ts compares the two on many inputs.
 *
 * Why: at a low request rate each request finds the caches cold, and zod's parser is a
 * lot of code and schema objects to bring back for a two-field object
 * (docs/performance.md, "The rate decides the gap"); a join's parse was about 3.5 % of
 * the server's instructions per connect and join (docs/performance.md, join storm).
 */
import { jsonProblem } from '../../lib/signaling/json';
import { cleanText, isValidId, MAX_FIELD_KEYS, presenceShow, type Limits, type RequestName, type ValidRequestData } from '../../lib/signaling/protocol';

type FastPath<M extends RequestName> = (data: unknown, limits: Limits) => ValidRequestData<M> | undefined;

/**
 * Whether `data` is a plain object whose own keys are all in `allowed` (any key when
 * no set is given), none inherited and none undefined: so `key in data` tells present.
 */
function isPlainRecord(data: unknown, allowed?: ReadonlySet<string>): data is Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  for (const key in data) {
    if (!Object.hasOwn(data, key) || (allowed && !allowed.has(key)) || (data as Record<string, unknown>)[key] === undefined) return false;
  }
  return true;
}

/** What the schema's plainText makes of `value` (controls removed, trimmed, 1..max), or undefined. */
function plainText(value: unknown, max: number, multiline: boolean): string | undefined {
  if (typeof value !== 'string' || value.length > max * 4) return undefined;
  const cleaned = cleanText(value, multiline);
  return cleaned.length === 0 || cleaned.length > max ? undefined : cleaned;
}

const CHAT_KEYS = new Set(['text', 'to']);

/** chat: `{text}` or `{text, to}`, text 1..maxChatLength characters once cleaned. */
const chat: FastPath<'chat'> = (data, limits) => {
  if (!isPlainRecord(data, CHAT_KEYS)) return undefined;
  const text = plainText(data.text, limits.maxChatLength, true);
  if (text === undefined) return undefined;
  if (!('to' in data)) return { text };
  return isValidId(data.to) ? { text, to: data.to } : undefined;
};

type JoinData = ValidRequestData<'join'>;

const JOIN_KEYS = new Set(['displayName', 'presence', 'fields', 'device', 'resumeToken']);
const PRESENCE_KEYS = new Set(['show', 'status']);
const DEVICE_KEYS = new Set(['browser', 'os', 'mobile']);
const SHOWS: ReadonlySet<unknown> = new Set(presenceShow.options);
const MAX_FIELD_NAME = 64;
const MAX_DEVICE_TEXT = 32;
const MAX_RESUME_TOKEN = 128;

function presence(value: unknown, limits: Limits): JoinData['presence'] {
  if (!isPlainRecord(value, PRESENCE_KEYS) || !SHOWS.has(value.show)) return undefined;
  const show = value.show as NonNullable<JoinData['presence']>['show'];
  if (!('status' in value)) return { show };
  const status = plainText(value.status, limits.maxStatusLength, false);
  return status === undefined ? undefined : { show, status };
}

function isFields(value: unknown, limits: Limits): value is NonNullable<JoinData['fields']> {
  if (!isPlainRecord(value)) return false;
  let keys = 0;
  for (const key in value) if (++keys > MAX_FIELD_KEYS || key.length > MAX_FIELD_NAME || key === '__proto__') return false;
  return jsonProblem(value, limits.maxJsonDepth, limits.maxFieldsBytes) === undefined;
}

function isDevice(value: unknown): value is NonNullable<JoinData['device']> {
  if (!isPlainRecord(value, DEVICE_KEYS)) return false;
  const { browser, os, mobile } = value;
  const text = (item: unknown): boolean => item === undefined || (typeof item === 'string' && item.length <= MAX_DEVICE_TEXT);
  return text(browser) && text(os) && (mobile === undefined || typeof mobile === 'boolean');
}

/** join: what the app sends, `{displayName}` with any of presence, fields, device and resumeToken. */
const join: FastPath<'join'> = (data, limits) => {
  if (!isPlainRecord(data, JOIN_KEYS)) return undefined;
  const displayName = plainText(data.displayName, limits.maxDisplayNameLength, false);
  if (displayName === undefined) return undefined;
  const result: JoinData = { displayName };
  if ('presence' in data) {
    const checked = presence(data.presence, limits);
    if (!checked) return undefined;
    result.presence = checked;
  }
  if ('fields' in data) {
    if (!isFields(data.fields, limits)) return undefined;
    result.fields = data.fields;
  }
  if ('device' in data) {
    if (!isDevice(data.device)) return undefined;
    result.device = data.device;
  }
  if ('resumeToken' in data) {
    if (typeof data.resumeToken !== 'string' || data.resumeToken.length > MAX_RESUME_TOKEN) return undefined;
    result.resumeToken = data.resumeToken;
  }
  return result;
};

export const fastPaths: { readonly [M in RequestName]?: FastPath<M> } = { chat, join };
