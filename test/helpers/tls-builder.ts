/**
 * TLS records and hello messages built byte by byte (RFC 8446 §4.1.2-4.1.3, RFC 5246 §7.4.1,
 * RFC 6066 §3 for server_name), just enough for the handshake insight tests.
 */
import { concat } from './packet-builder.js';

const u16 = (n: number): Uint8Array => Uint8Array.of(n >>> 8, n & 0xff);
const u24 = (n: number): Uint8Array => Uint8Array.of(n >>> 16, (n >>> 8) & 0xff, n & 0xff);
const vector8 = (bytes: Uint8Array): Uint8Array => concat(Uint8Array.of(bytes.length), bytes);
const vector16 = (bytes: Uint8Array): Uint8Array => concat(u16(bytes.length), bytes);

export const HELLO_RETRY_RANDOM = Uint8Array.from(
  'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c'.match(/../g)!.map((h) => parseInt(h, 16)),
);

function extension(type: number, data: Uint8Array): Uint8Array {
  return concat(u16(type), vector16(data));
}

/** A handshake message: type(1) length(3) body. */
export function handshakeMessage(type: number, body: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(type), u24(body.length), body);
}

/** A TLS record: type(1) version 3.3 length(2) fragment. */
export function record(type: number, fragment: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(type, 3, 3), vector16(fragment));
}

export function sessionId(fill: number, length = 32): Uint8Array {
  return new Uint8Array(length).fill(fill);
}

export function clientHello(options: { sni?: string; sessionId?: Uint8Array; padding?: number } = {}): Uint8Array {
  const extensions: Uint8Array[] = [];
  if (options.sni !== undefined) {
    const name = new TextEncoder().encode(options.sni);
    extensions.push(extension(0, vector16(concat(Uint8Array.of(0), vector16(name)))));
  }
  extensions.push(extension(43, vector8(concat(u16(0x0304), u16(0x0303))))); // supported_versions
  if (options.padding) extensions.push(extension(21, new Uint8Array(options.padding)));
  const body = concat(
    u16(0x0303),
    new Uint8Array(32).fill(7),
    vector8(options.sessionId ?? new Uint8Array(0)),
    vector16(concat(u16(0x1301), u16(0xc02f))),
    vector8(Uint8Array.of(0)),
    vector16(concat(...extensions)),
  );
  return handshakeMessage(1, body);
}

export function serverHello(options: { sessionId?: Uint8Array; tls13?: boolean; psk?: boolean; retry?: boolean } = {}): Uint8Array {
  const extensions: Uint8Array[] = [];
  if (options.tls13) extensions.push(extension(43, u16(0x0304)));
  if (options.psk) extensions.push(extension(41, u16(0)));
  const body = concat(
    u16(0x0303),
    options.retry ? HELLO_RETRY_RANDOM : new Uint8Array(32).fill(9),
    vector8(options.sessionId ?? new Uint8Array(0)),
    u16(options.tls13 ? 0x1301 : 0xc02f),
    Uint8Array.of(0),
    vector16(concat(...extensions)),
  );
  return handshakeMessage(2, body);
}

export const certificate = (): Uint8Array => handshakeMessage(11, concat(u24(3), u24(0)));
export const serverHelloDone = (): Uint8Array => handshakeMessage(14, new Uint8Array(0));
export const changeCipherSpec = (): Uint8Array => record(20, Uint8Array.of(1));
export const applicationData = (length: number): Uint8Array => record(23, new Uint8Array(length).fill(0xaa));
export const handshakeRecord = (...messages: Uint8Array[]): Uint8Array => record(22, concat(...messages));
