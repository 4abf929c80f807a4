/**
 * The cleartext start of a TLS connection (RFC 8446 / RFC 5246) over one direction of a TCP
 * byte stream: records are walked by their 5-byte headers, handshake records are gathered
 * (bounded) until the ClientHello or ServerHello is whole, and everything after is skipped by
 * length. What matters for reuse: how many handshakes, the server name, and whether the
 * server resumed a session instead of running a full handshake.
 */
import type { StreamConsumer } from './reassembly.js';

const ContentType = { ChangeCipherSpec: 20, Alert: 21, Handshake: 22, ApplicationData: 23 } as const;
const HandshakeType = { ClientHello: 1, ServerHello: 2, Certificate: 11, ServerHelloDone: 14 } as const;
const Extension = { ServerName: 0, SupportedVersions: 43, PreSharedKey: 41 } as const;
const TLS13 = 0x0304;
/** RFC 8446 §4.1.3: a ServerHello with this random is a HelloRetryRequest. */
const HELLO_RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
/** Handshake bytes gathered before a hello is given up on (a ClientHello is a few KiB at most). */
const HANDSHAKE_LIMIT = 32 * 1024;
const RECORD_LIMIT = (1 << 14) + 2048;

/** What the two hellos of one connection said, shared by both directions. */
export class TlsExchange {
  clientHellos = 0;
  serverHellos = 0;
  retries = 0;
  sni: string | null = null;
  clientSessionId = '';
  /** The server accepted a PSK (TLS 1.3) or echoed the client's session id (TLS 1.2). */
  resumedByHello = false;
  /** TLS 1.2 and earlier: after ServerHello, ChangeCipherSpec came before any Certificate. */
  abbreviated = false;
  awaitingServerFlight = false;
  /** The server chose TLS 1.3 (supported_versions in ServerHello or HelloRetryRequest). */
  tls13 = false;

  get handshakes(): number {
    return Math.max(this.clientHellos - this.retries, this.serverHellos - this.retries, 0);
  }

  get resumed(): boolean {
    return this.resumedByHello || this.abbreviated;
  }
}

/** One direction's TLS records. Stops looking inside once the hellos are read. */
export class TlsDirection implements StreamConsumer {
  /** Not TLS from the first byte, or a record header that makes no sense. */
  failed = false;
  private header = new Uint8Array(5);
  private headerLength = 0;
  /** Payload bytes of the current record still to come. */
  private remaining = 0;
  private recordType = 0;
  private handshake: Uint8Array | undefined;
  private handshakeLength = 0;
  /** Handshake content is readable until this side's ChangeCipherSpec (or ServerHello in 1.3). */
  private encrypted = false;
  /** This direction sent a ServerHello. */
  private isServerSide = false;

  constructor(private readonly exchange: TlsExchange) {}

  get idle(): boolean {
    return this.failed;
  }

  data(bytes: Uint8Array, start: number, end: number): void {
    let at = start;
    while (at < end && !this.failed) {
      if (this.remaining === 0) {
        while (this.headerLength < 5 && at < end) this.header[this.headerLength++] = bytes[at++]!;
        if (this.headerLength < 5) return;
        this.headerLength = 0;
        if (!this.startRecord()) return;
        continue;
      }
      const take = Math.min(this.remaining, end - at);
      if (this.recordType === ContentType.Handshake && !this.encrypted) this.gather(bytes.subarray(at, at + take));
      at += take;
      this.remaining -= take;
    }
  }

  gap(length: number): void {
    if (this.failed) return;
    if (this.remaining >= length && this.headerLength === 0) {
      if (this.recordType === ContentType.Handshake) this.stopReading(); // a hole in a hello: cannot read it
      this.remaining -= length;
      return;
    }
    this.failed = true;
  }

  /** Handshake content from here on is encrypted (or unreadable): keep no buffer for it. */
  private stopReading(): void {
    this.encrypted = true;
    this.handshake = undefined;
    this.handshakeLength = 0;
  }

  private startRecord(): boolean {
    const [type, major] = this.header;
    const length = (this.header[3]! << 8) | this.header[4]!;
    if (type! < ContentType.ChangeCipherSpec || type! > ContentType.ApplicationData || major !== 3 || length > RECORD_LIMIT) {
      this.failed = true;
      this.handshake = undefined;
      return false;
    }
    this.recordType = type!;
    this.remaining = length;
    if (type === ContentType.ChangeCipherSpec) {
      if (this.exchange.awaitingServerFlight && this.isServerSide) {
        this.exchange.abbreviated = true;
        this.exchange.awaitingServerFlight = false;
      }
      // TLS 1.3 sends a dummy ChangeCipherSpec for middleboxes (RFC 8446 §D.4): a ClientHello
      // after a HelloRetryRequest still follows in clear. Before 1.3 it starts encryption.
      if (!this.exchange.tls13) this.stopReading();
    }
    return true;
  }

  private gather(bytes: Uint8Array): void {
    const needed = this.handshakeLength + bytes.length;
    if (needed > HANDSHAKE_LIMIT) {
      this.encrypted = true; // too big to be a hello: stop reading handshake content
      this.handshake = undefined;
      return;
    }
    let buffer = this.handshake;
    if (buffer === undefined || buffer.length < needed) {
      const grown = new Uint8Array(Math.min(HANDSHAKE_LIMIT, Math.max(2048, needed, (buffer?.length ?? 0) * 2)));
      if (buffer !== undefined) grown.set(buffer.subarray(0, this.handshakeLength));
      this.handshake = buffer = grown;
    }
    buffer.set(bytes, this.handshakeLength);
    this.handshakeLength += bytes.length;
    // Handshake messages: type(1) length(3) body; several can share a record, one can span records.
    let at = 0;
    while (this.handshakeLength - at >= 4) {
      const bodyLength = (buffer[at + 1]! << 16) | (buffer[at + 2]! << 8) | buffer[at + 3]!;
      if (this.handshakeLength - at - 4 < bodyLength) break;
      this.message(buffer[at]!, buffer.subarray(at + 4, at + 4 + bodyLength));
      at += 4 + bodyLength;
      if (this.encrypted || this.handshake === undefined) return;
    }
    if (at > 0) {
      buffer.copyWithin(0, at, this.handshakeLength);
      this.handshakeLength -= at;
    }
  }

  private message(type: number, body: Uint8Array): void {
    const exchange = this.exchange;
    if (type === HandshakeType.ClientHello) {
      exchange.clientHellos++;
      readClientHello(body, exchange);
    } else if (type === HandshakeType.ServerHello) {
      this.isServerSide = true;
      const version = readServerHello(body, exchange);
      // In TLS 1.3 everything after ServerHello is encrypted (RFC 8446 §2).
      if (version === 'tls1.3') this.stopReading();
      else if (version === 'tls1.2') exchange.awaitingServerFlight = true;
    } else if (this.isServerSide && (type === HandshakeType.Certificate || type === HandshakeType.ServerHelloDone)) {
      exchange.awaitingServerFlight = false; // a full handshake
    }
  }
}

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  get left(): number {
    return this.bytes.length - this.at;
  }
  u8(): number {
    if (this.left < 1) throw new ShortHello();
    return this.bytes[this.at++]!;
  }
  u16(): number {
    if (this.left < 2) throw new ShortHello();
    const value = (this.bytes[this.at]! << 8) | this.bytes[this.at + 1]!;
    this.at += 2;
    return value;
  }
  take(length: number): Uint8Array {
    if (this.left < length) throw new ShortHello();
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
}

/** A hello whose declared lengths overrun it: read what was read, nothing more. */
class ShortHello extends Error {}

function hex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += byte.toString(16).padStart(2, '0');
  return text;
}

function* extensions(reader: Reader): Generator<{ type: number; data: Reader }> {
  if (reader.left < 2) return;
  const end = reader.u16();
  const block = new Reader(reader.take(Math.min(end, reader.left)));
  while (block.left >= 4) {
    const type = block.u16();
    const length = block.u16();
    yield { type, data: new Reader(block.take(length)) };
  }
}

/** RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2; SNI from RFC 6066 §3. */
function readClientHello(body: Uint8Array, exchange: TlsExchange): void {
  try {
    const reader = new Reader(body);
    reader.take(2 + 32); // legacy_version, random
    exchange.clientSessionId = hex(reader.take(reader.u8()));
    reader.take(reader.u16()); // cipher_suites
    reader.take(reader.u8()); // compression_methods
    for (const { type, data } of extensions(reader)) {
      if (type === Extension.ServerName && exchange.sni === null) {
        data.u16(); // server_name_list length
        while (data.left >= 3) {
          const nameType = data.u8();
          const name = data.take(data.u16());
          if (nameType === 0) {
            exchange.sni = String.fromCharCode(...name);
            break;
          }
        }
      }
    }
  } catch (error) {
    if (!(error instanceof ShortHello)) throw error;
  }
}

/** Which version the server chose, or 'retry' for a HelloRetryRequest. */
function readServerHello(body: Uint8Array, exchange: TlsExchange): 'retry' | 'tls1.3' | 'tls1.2' {
  let tls13 = false;
  try {
    const reader = new Reader(body);
    reader.take(2);
    const random = hex(reader.take(32));
    if (random === HELLO_RETRY_RANDOM) {
      exchange.retries++;
      exchange.serverHellos++;
      exchange.tls13 = true; // only TLS 1.3 has HelloRetryRequest
      return 'retry';
    }
    exchange.serverHellos++;
    const sessionId = hex(reader.take(reader.u8()));
    reader.take(2 + 1); // cipher_suite, compression_method
    let psk = false;
    for (const { type, data } of extensions(reader)) {
      if (type === Extension.SupportedVersions && data.left >= 2 && data.u16() === TLS13) tls13 = true;
      if (type === Extension.PreSharedKey) psk = true;
    }
    // TLS 1.3 echoes the client's legacy_session_id always (§4.1.3), so only a PSK means
    // resumption there; before 1.3 an echoed non-empty session id does (RFC 5246 §7.4.1.3).
    exchange.tls13 = tls13;
    if (tls13) exchange.resumedByHello = psk;
    else exchange.resumedByHello = sessionId !== '' && sessionId === exchange.clientSessionId;
  } catch (error) {
    if (!(error instanceof ShortHello)) throw error;
  }
  return tls13 ? 'tls1.3' : 'tls1.2';
}
