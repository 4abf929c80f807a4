import { describe, expect, it } from 'vitest';
import { httpLabel } from '../../src/view/peek.js';

function label(text: string, start = 0): string | undefined {
  const bytes = new TextEncoder().encode(text);
  return httpLabel(bytes, start, bytes.length - start);
}

describe('httpLabel: the first line of a segment, when it looks like HTTP/1.x', () => {
  it.each([
    ['GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n', 'GET /index.html'],
    ['POST /api?x=1 HTTP/1.0\r\n', 'POST /api?x=1'],
    ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n', '200 OK'],
    ['HTTP/1.0 404 Not Found\r\n', '404 Not Found'],
    ['HTTP/1.1 204\r\n\r\n', '204'],
    ['HTTP/2 301 Moved\r\n', '301 Moved'],
  ])('%j → %s', (text, expected) => {
    expect(label(text)).toBe(expected);
  });

  it.each([
    ['body bytes, not a message', 'hello world, this is a body\r\n'],
    ['an unknown method', 'FETCH /x HTTP/1.1\r\n'],
    ['binary', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003'],
    ['too short to tell', 'GET /\r\n'],
    ['lowercase method', 'get /index.html HTTP/1.1\r\n'],
  ])('%s → nothing', (_name, text) => {
    expect(label(text)).toBeUndefined();
  });

  it('reads from the payload offset and never past the given length', () => {
    const bytes = new TextEncoder().encode('xxxxGET /a HTTP/1.1\r\n');
    expect(httpLabel(bytes, 4, bytes.length - 4)).toBe('GET /a');
    expect(httpLabel(bytes, 4, 6)).toBeUndefined();
    expect(httpLabel(bytes, 4, 10)).toBe('GET /a');
  });

  it('keeps a long request target to a bounded label', () => {
    const result = label(`GET /${'a'.repeat(500)} HTTP/1.1\r\n`);
    expect(result).toMatch(/^GET \/a+$/);
    expect(result!.length).toBeLessThanOrEqual(100);
  });
});
