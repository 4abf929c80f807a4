/**
 * HTTP/1.x start lines read in place from the bytes: request-line (RFC 9112 §3) and
 * status-line (§4). Only HTTP/1.x: `PRI * HTTP/2.0` is the HTTP/2 connection preface
 * (RFC 9113 §3.4). A start line is printable ASCII; a reason phrase may also hold tabs.
 * The text of a request line is made only when it is kept, and shared with the last equal
 * line seen, since clients ask for the same few targets again and again.
 */

/** The methods that change how a response is framed (RFC 9112 §6.3). */
export const enum Method {
  Other,
  Head,
  Connect,
}

/** What the last start line said, in one reused object (read it before the next parse). */
export const startLine = { method: Method.Other, minor: 0, status: 0, hash: 0 };

const SP = 0x20;
const TAB = 0x09;

/** tchar (RFC 9110 §5.6.2): the characters of a method. */
const TOKEN = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;

/** `HTTP/1.` */
const VERSION_PREFIX = [0x48, 0x54, 0x54, 0x50, 0x2f, 0x31, 0x2e];
const HEAD = [0x48, 0x45, 0x41, 0x44];
const CONNECT = [0x43, 0x4f, 0x4e, 0x4e, 0x45, 0x43, 0x54];

function isDigit(byte: number): boolean {
  return byte >= 0x30 && byte <= 0x39;
}

function sameBytes(bytes: Uint8Array, start: number, end: number, expected: readonly number[]): boolean {
  if (end - start !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (bytes[start + i] !== expected[i]) return false;
  return true;
}

/** The line begins `HTTP/`: a status line, not a request line. */
export function looksLikeStatusLine(bytes: Uint8Array, start: number, stop: number): boolean {
  return stop - start >= 5 && bytes[start] === 0x48 && bytes[start + 1] === 0x54 && bytes[start + 2] === 0x54 && bytes[start + 3] === 0x50 && bytes[start + 4] === 0x2f;
}

/** `HTTP/1.` DIGIT at bytes[at]: the minor version, or -1. */
function version(bytes: Uint8Array, at: number): number {
  for (let i = 0; i < VERSION_PREFIX.length; i++) if (bytes[at + i] !== VERSION_PREFIX[i]) return -1;
  const minor = bytes[at + VERSION_PREFIX.length]!;
  return isDigit(minor) ? minor - 0x30 : -1;
}

/**
 * `method SP request-target SP HTTP/1.d` exactly, in bytes[start, stop) (the line without its
 * CRLF); fills `startLine` (method, minor, and a hash of the line for `lineText`).
 */
export function parseRequestLine(bytes: Uint8Array, start: number, stop: number): boolean {
  let hash = 0x811c9dc5;
  let at = start;
  for (; at < stop; at++) {
    const byte = bytes[at]!;
    if (byte >= 0x80 || TOKEN[byte] === 0) break;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  const methodEnd = at;
  if (methodEnd === start || at >= stop || bytes[at] !== SP) return false;
  // The target: visible characters up to the next space.
  for (at++; at < stop; at++) {
    const byte = bytes[at]!;
    if (byte <= SP || byte >= 0x7f) break;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  if (at === methodEnd + 1 || stop - at !== 1 + VERSION_PREFIX.length + 1 || bytes[at] !== SP) return false;
  const minor = version(bytes, at + 1);
  if (minor < 0) return false;
  startLine.method = sameBytes(bytes, start, methodEnd, HEAD) ? Method.Head : sameBytes(bytes, start, methodEnd, CONNECT) ? Method.Connect : Method.Other;
  startLine.minor = minor;
  startLine.hash = Math.imul(hash ^ minor, 0x01000193) >>> 0;
  return true;
}

/** `HTTP/1.d SP 3DIGIT [ (SP / HTAB) reason-phrase ]` in bytes[start, stop); fills `startLine`. */
export function parseStatusLine(bytes: Uint8Array, start: number, stop: number): boolean {
  const codeAt = start + VERSION_PREFIX.length + 2;
  if (stop - start < VERSION_PREFIX.length + 5) return false;
  const minor = version(bytes, start);
  if (minor < 0 || bytes[codeAt - 1] !== SP) return false;
  const d0 = bytes[codeAt]!;
  const d1 = bytes[codeAt + 1]!;
  const d2 = bytes[codeAt + 2]!;
  if (!isDigit(d0) || !isDigit(d1) || !isDigit(d2)) return false;
  let at = codeAt + 3;
  if (at < stop) {
    const separator = bytes[at]!;
    if (separator !== SP && separator !== TAB) return false;
    for (at++; at < stop; at++) {
      const byte = bytes[at]!;
      if ((byte < SP && byte !== TAB) || byte >= 0x7f) return false;
    }
  }
  startLine.minor = minor;
  startLine.status = (d0 - 0x30) * 100 + (d1 - 0x30) * 10 + (d2 - 0x30);
  return true;
}

const CACHE_BITS = 10;
/** Recent request lines by hash: strings are immutable, so sharing them across analyses is safe. */
const recentLines: (string | undefined)[] = new Array<string | undefined>(1 << CACHE_BITS).fill(undefined);

/**
 * The cache slot of a line's hash: its top bits. FNV-1a's low bits mix poorly (a product's low
 * bits depend only on the factors' low bits): lines that differ only in length took turns in 32
 * slots of the bottom ten bits, 64 of them, so each missed every time it came back.
 */
export function lineSlot(hash: number): number {
  return hash >>> (32 - CACHE_BITS);
}

/** The text of the request line just parsed from bytes[start, stop). */
export function lineText(bytes: Uint8Array, start: number, stop: number): string {
  const slot = lineSlot(startLine.hash);
  const recent = recentLines[slot];
  if (recent !== undefined && recent.length === stop - start) {
    let same = true;
    for (let i = 0; i < recent.length && same; i++) same = recent.charCodeAt(i) === bytes[start + i];
    if (same) return recent;
  }
  const text = latin1(bytes, start, stop);
  recentLines[slot] = text;
  return text;
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
