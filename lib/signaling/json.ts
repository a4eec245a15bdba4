/**
 * json: bounds for free-form JSON (peer fields, app messages) checked WITHOUT
 * recursion, so a payload nested a hundred thousand levels deep is refused instead of
 * overflowing the stack of whoever serializes or validates it next.
 */

/** UTF-8 byte length of a string, without allocating. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * Why `value` is not small, plain JSON within `maxDepth` levels and about `maxBytes`
 * once serialized; undefined when it is. Walks iteratively and stops at the first excess.
 */
export function jsonProblem(value: unknown, maxDepth: number, maxBytes: number): string | undefined {
  const stack: [unknown, number][] = [[value, 1]];
  let bytes = 0;
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (depth > maxDepth) return `nested deeper than ${maxDepth} levels`;
    if (item === null || typeof item === 'boolean') bytes += 5;
    else if (typeof item === 'number') {
      if (!Number.isFinite(item)) return 'numbers must be finite';
      bytes += 8;
    } else if (typeof item === 'string') bytes += utf8Length(item) + 2;
    else if (Array.isArray(item)) {
      bytes += 2 + item.length;
      for (const element of item) stack.push([element, depth + 1]);
    } else if (typeof item === 'object') {
      for (const key of Object.keys(item)) {
        bytes += utf8Length(key) + 4;
        stack.push([(item as Record<string, unknown>)[key], depth + 1]);
      }
      bytes += 2;
    } else return `${typeof item} is not JSON`;
    if (bytes > maxBytes) return `larger than ${maxBytes} bytes`;
  }
  return undefined;
}
