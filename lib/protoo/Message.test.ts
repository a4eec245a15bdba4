import { describe, expect, it } from 'vitest';
import {
  createErrorResponse,
  createNotification,
  createRequest,
  createSuccessResponse,
  notificationText,
  parseMessage,
  SerializedData,
  successResponseText,
} from './Message';

describe('Message', () => {
  describe('create*', () => {
    it('builds frames exactly as protoo v4 documents them', () => {
      expect(createRequest(7, 'chat', { text: 'hi' })).toEqual({ request: true, id: 7, method: 'chat', data: { text: 'hi' } });
      expect(createSuccessResponse(7, { ok: 1 })).toEqual({ response: true, id: 7, ok: true, data: { ok: 1 } });
      expect(createErrorResponse(7, 404, 'nope')).toEqual({ response: true, id: 7, ok: false, errorCode: 404, errorReason: 'nope' });
      expect(createNotification('joined', { id: 'a' })).toEqual({ notification: true, method: 'joined', data: { id: 'a' } });
    });

    it('round-trips through parseMessage', () => {
      for (const message of [
        createRequest(1, 'm', { a: [1, 2] }),
        createSuccessResponse(1, { b: null }),
        createErrorResponse(1, 500, 'boom'),
        createNotification('n', {}),
      ]) {
        expect(parseMessage(JSON.stringify(message))).toEqual({ message });
      }
    });
  });

  describe('successResponseText() and notificationText()', () => {
    const data = { message: { id: 'é"\\', n: 1.5, list: [null, true], nested: { to: undefined } } };

    it('give the text JSON.stringify gives for the whole message, from data or from SerializedData', () => {
      for (const given of [data, new SerializedData(data)]) {
        expect(successResponseText(9, given)).toBe(JSON.stringify(createSuccessResponse(9, data)));
        expect(notificationText('chat "x"', given)).toBe(JSON.stringify(createNotification('chat "x"', data)));
      }
    });

    it('read absent data as {}', () => {
      expect(successResponseText(1, undefined)).toBe('{"response":true,"id":1,"ok":true,"data":{}}');
      expect(notificationText('n', null)).toBe('{"notification":true,"method":"n","data":{}}');
    });

    it('throw for data that is not JSON instead of writing "undefined" into the frame', () => {
      expect(() => successResponseText(1, () => 1)).toThrow(TypeError);
      expect(() => new SerializedData(Symbol('x'))).toThrow(TypeError);
    });

    it('serialize SerializedData once, however many frames carry it', () => {
      let serializations = 0;
      const payload = new SerializedData({
        toJSON() {
          serializations++;
          return { x: 1 };
        },
      });
      const texts = [successResponseText(1, payload), notificationText('n', payload), notificationText('m', payload)];
      for (const text of texts) expect(JSON.parse(text)).toMatchObject({ data: { x: 1 } });
      expect(serializations).toBe(1);
    });
  });

  describe('parseMessage()', () => {
    it('reads absent or null data as {}', () => {
      expect(parseMessage('{"request":true,"id":1,"method":"m"}').message).toEqual({ request: true, id: 1, method: 'm', data: {} });
      expect(parseMessage('{"notification":true,"method":"m","data":null}').message).toEqual({ notification: true, method: 'm', data: {} });
      expect(parseMessage('{"response":true,"id":1,"ok":true}').message).toEqual({ response: true, id: 1, ok: true, data: {} });
    });

    it("accepts the official server's error response, which omits ok", () => {
      expect(parseMessage('{"response":true,"id":3,"errorCode":403,"errorReason":"no"}').message).toEqual({
        response: true,
        id: 3,
        ok: false,
        errorCode: 403,
        errorReason: 'no',
      });
    });

    const deep = '{"request":true,"id":9,"method":"m","data":' + '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) + '}';

    const malformed: [name: string, raw: string, requestId?: number][] = [
      ['not JSON', 'hello'],
      ['truncated JSON', '{"request":true,'],
      ['empty string', ''],
      ['null', 'null'],
      ['a number', '42'],
      ['a string', '"request"'],
      ['an array', '[{"request":true,"id":1,"method":"m"}]'],
      ['an empty object', '{}'],
      ['two kinds at once', '{"request":true,"notification":true,"id":1,"method":"m"}'],
      ['request flag not true', '{"request":1,"id":1,"method":"m"}'],
      ['request without id', '{"request":true,"method":"m"}'],
      ['request id a string', '{"request":true,"id":"1","method":"m"}'],
      ['request id fractional', '{"request":true,"id":1.5,"method":"m"}'],
      ['request id negative', '{"request":true,"id":-1,"method":"m"}'],
      ['request id beyond safe integers', '{"request":true,"id":9007199254740993,"method":"m"}'],
      ['request id huge', '{"request":true,"id":1e300,"method":"m"}'],
      ['request without method', '{"request":true,"id":4}', 4],
      ['request method a number', '{"request":true,"id":4,"method":5}', 4],
      ['request method empty', '{"request":true,"id":4,"method":""}', 4],
      ['request data an array', '{"request":true,"id":4,"method":"m","data":[]}', 4],
      ['request data a string', '{"request":true,"id":4,"method":"m","data":"x"}', 4],
      ['response without id', '{"response":true,"ok":true}'],
      ['response ok not boolean', '{"response":true,"id":1,"ok":"yes"}'],
      ['error response without errorCode', '{"response":true,"id":1,"ok":false}'],
      ['error response errorCode a string', '{"response":true,"id":1,"ok":false,"errorCode":"E"}'],
      ['error response errorReason a number', '{"response":true,"id":1,"ok":false,"errorCode":1,"errorReason":2}'],
      ['notification without method', '{"notification":true}'],
      ['notification data a number', '{"notification":true,"method":"m","data":3}'],
    ];

    it.each(malformed)('rejects %s without throwing', (_name, raw, requestId) => {
      const result = parseMessage(raw);
      expect(result.message).toBeUndefined();
      expect(result.error).toEqual(expect.any(String));
      expect(result.requestId).toBe(requestId);
    });

    it('parses JSON nested 10,000 levels deep without throwing', () => {
      const result = parseMessage(deep);
      expect(result.error).toBeUndefined();
      expect(result.message).toMatchObject({ request: true, id: 9, method: 'm' });
    });
  });
});
