/**
 * fastPaths: the most frequent request checked without zod when it is plainly valid.
 * A fast path accepts only what its schema accepts, and returns what the schema would
 * return; anything else (an error, an unusual shape) returns undefined and goes to the
 * schema, which also words the error. fastPaths.test.ts compares the two on many inputs.
 *
 * Why: at a low request rate each request finds the caches cold, and zod's parser is a
 * lot of code and schema objects to bring back for a two-field object
 * (docs/performance.md, "The rate decides the gap").
 */
import { cleanText, isValidId, type Limits, type RequestName, type ValidRequestData } from '../../lib/signaling/protocol';

type FastPath<M extends RequestName> = (data: unknown, limits: Limits) => ValidRequestData<M> | undefined;

/** chat: `{text}` or `{text, to}`, text 1..maxChatLength characters once cleaned. */
const chat: FastPath<'chat'> = (data, limits) => {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  let keys = 0;
  for (const key in data) {
    if (!Object.hasOwn(data, key) || (key !== 'text' && key !== 'to')) return undefined;
    keys++;
  }
  const { text, to } = data as { text?: unknown; to?: unknown };
  if (typeof text !== 'string' || text.length > limits.maxChatLength * 4) return undefined;
  const cleaned = cleanText(text, true);
  if (cleaned.length === 0 || cleaned.length > limits.maxChatLength) return undefined;
  if (to === undefined) return keys === 1 ? { text: cleaned } : undefined;
  return isValidId(to) ? { text: cleaned, to } : undefined;
};

export const fastPaths: { readonly [M in RequestName]?: FastPath<M> } = { chat };
