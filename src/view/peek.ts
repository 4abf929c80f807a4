/**
 * A label for a segment from the first bytes of its captured payload: an HTTP/1.x request line
 * (`GET /index.html`) or status line (`200 OK`) when the payload starts like one (RFC 9112 §3,
 * §4). No parser: a segment in the middle of a body or a line cut by the snaplen gives nothing.
 */

/** Bytes looked at: a method, a target and a version fit well within this. */
const PEEK_BYTES = 160;
/** Longest label kept (views cut it further to fit their width). */
const MAX_LABEL = 100;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/** The printable ASCII prefix of `bytes[start..end)`, up to the first CR or LF (or the cap). */
function firstLine(bytes: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, bytes.length, start + PEEK_BYTES);
  let line = '';
  for (let i = start; i < stop; i++) {
    const byte = bytes[i]!;
    if (byte === 0x0d || byte === 0x0a) return line;
    if (byte < 0x20 || byte > 0x7e) return '';
    line += String.fromCharCode(byte);
  }
  return line;
}

function shorten(text: string): string {
  return text.slice(0, MAX_LABEL);
}

/** `GET /index.html`, `200 OK`, or undefined when the payload does not start an HTTP message. */
export function httpLabel(bytes: Uint8Array, start: number, length: number): string | undefined {
  if (length < 8) return undefined;
  const line = firstLine(bytes, start, start + length);
  const status = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(line);
  if (status) return shorten(status[2] ? `${status[1]} ${status[2].trim()}` : status[1]!);
  const request = /^([A-Z]+) (\S+)(?: HTTP\/\d(?:\.\d)?)?/.exec(line);
  if (request && METHODS.has(request[1]!)) return shorten(`${request[1]} ${request[2]}`);
  return undefined;
}
