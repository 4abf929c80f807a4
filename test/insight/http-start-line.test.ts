/**
 * Start lines read from bytes agree with the grammar written as regular expressions over the
 * line's text (RFC 9112 §3, §4), for lines that passed the printable-text check every start
 * line gets first; and a kept request line is the line's text.
 */
import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { lineSlot, lineText, looksLikeStatusLine, Method, parseRequestLine, parseStatusLine, startLine } from '../../src/insight/http-start-line.js';

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(1)\.(\d)$/;
const STATUS_LINE = /^HTTP\/(1)\.(\d) (\d{3})(?:[ \t].*)?$/;

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** What the head scan lets through to the start-line check: printable text, tabs and CRs. */
const printable = (text: string): boolean => [...text].every((c) => c === '\r' || c === '\t' || (c >= ' ' && c < '\x7f'));

/** Lines near the grammar: pieces of real start lines and the characters that break them. */
const piece = fc.constantFrom('GET', 'HEAD', 'CONNECT', 'get', 'M-1', ' ', '  ', '\t', '\r', '/', '/a?b=c', '*', 'HTTP/', 'HTTP/1.', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', '1', '200', '20', '2000', 'OK', 'Not Found', '\x7f', '\x00', '\xa0', 'é', ':', '"');
const nearLine = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));

describe('start lines from bytes', () => {
  property.prop([nearLine])('a request line is read exactly when the regular expression matches', (line) => {
    fc.pre(printable(line));
    const match = REQUEST_LINE.exec(line);
    const padded = bytes(`xx${line}yy`);
    expect(parseRequestLine(padded, 2, 2 + line.length)).toBe(match !== null);
    if (match) {
      expect(startLine.minor).toBe(Number(match[4]));
      expect(startLine.method).toBe(match[1] === 'HEAD' ? Method.Head : match[1] === 'CONNECT' ? Method.Connect : Method.Other);
      expect(lineText(padded, 2, 2 + line.length)).toBe(line);
    }
  });

  property.prop([nearLine])('a status line is read exactly when the regular expression matches', (line) => {
    fc.pre(printable(line));
    const match = STATUS_LINE.exec(line);
    expect(parseStatusLine(bytes(line), 0, line.length)).toBe(match !== null);
    if (match) {
      expect(startLine.minor).toBe(Number(match[2]));
      expect(startLine.status).toBe(Number(match[3]));
    }
    expect(looksLikeStatusLine(bytes(line), 0, line.length)).toBe(line.startsWith('HTTP/'));
  });

  it('reads the usual lines', () => {
    expect(parseRequestLine(bytes('GET /index.html HTTP/1.1'), 0, 24)).toBe(true);
    expect(parseRequestLine(bytes('PRI * HTTP/2.0'), 0, 14)).toBe(false);
    expect(parseStatusLine(bytes('HTTP/1.0 404 Not Found'), 0, 22)).toBe(true);
    expect(startLine).toMatchObject({ minor: 0, status: 404 });
    expect(parseStatusLine(bytes('HTTP/1.1 204'), 0, 12)).toBe(true);
    expect(parseStatusLine(bytes('HTTP/1.1 20'), 0, 11)).toBe(false);
  });

  it('gives the same text for the same line, and the right text after a different one', () => {
    const first = bytes('GET /same HTTP/1.1');
    parseRequestLine(first, 0, first.length);
    const text = lineText(first, 0, first.length);
    const again = bytes('GET /same HTTP/1.1');
    parseRequestLine(again, 0, again.length);
    expect(lineText(again, 0, again.length)).toBe(text);
    const other = bytes('GET /samf HTTP/1.1');
    parseRequestLine(other, 0, other.length);
    expect(lineText(other, 0, other.length)).toBe('GET /samf HTTP/1.1');
  });

  it('spreads lines that differ only in the length of their target over the cache slots', () => {
    // The benchmark's clients ask for /p ... /ppp...p (64 targets): the bottom bits of the hash
    // put them in pairs that took turns in one slot, so the cache never kept one.
    const slots = new Set<number>();
    for (let length = 1; length <= 64; length++) {
      const line = bytes(`GET /${'p'.repeat(length)} HTTP/1.1`);
      expect(parseRequestLine(line, 0, line.length)).toBe(true);
      slots.add(lineSlot(startLine.hash));
    }
    expect(slots.size).toBeGreaterThanOrEqual(60);
  });
});
