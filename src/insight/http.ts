/**
 * HTTP/1.x message framing over one direction of a TCP byte stream (RFC 9112): start line and
 * header fields up to the empty line, then the body by Content-Length or chunked coding, so
 * keep-alive and pipelined messages are counted exactly. Only the header block of the current
 * message is buffered (at most HEAD_LIMIT bytes); bodies are skipped by length, never stored.
 * The role (requests or responses) is decided by the first bytes, so it does not depend on
 * which endpoint the tracker later calls the client.
 */
import { latin1, lineText, looksLikeStatusLine, Method, parseRequestLine, parseStatusLine, startLine } from './http-start-line.js';
import type { StreamConsumer } from './reassembly.js';

/** Bytes of start line plus header fields kept for one message; beyond it the stream is unknown. */
export const HEAD_LIMIT = 8 * 1024;
/** First request lines and statuses kept per connection. */
export const KEPT_PER_CONNECTION = 5;
/** Requests awaiting their response (pipelining depth) remembered for HEAD / CONNECT framing. */
const METHOD_QUEUE_LIMIT = 256;

/** How a message said the connection will not persist (RFC 9112 §9.3). */
export type CloseSignal = 'connection-close' | 'http/1.0';

/** State both directions of one connection share: requests waiting for their response. */
export interface HttpExchange {
  /** Methods of requests not yet answered, oldest first (made on the first request). */
  methods: Method[] | undefined;
  /** A 101 or a 2xx to CONNECT: what follows is no longer HTTP, in both directions. */
  tunnel: boolean;
}

/** `HTTP/1.0` … `HTTP/1.9`, one string each. */
const VERSIONS = Array.from({ length: 10 }, (_, minor) => `HTTP/1.${minor}`);

const enum State {
  Head,
  Body,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  ToClose,
  Tunnel,
  Lost,
  NotHttp,
}

const LF = 0x0a;
const CR = 0x0d;

function isTokenStart(byte: number): boolean {
  return byte >= 0x41 && byte <= 0x5a; // methods are upper-case by convention (RFC 9110 §9.1)
}

/** One direction: the requests a client sent, or the responses a server sent. */
export class HttpDirection implements StreamConsumer {
  role: 'request' | 'response' | undefined;
  /** Every message of this direction so far is counted, none guessed. */
  known = true;
  messages = 0;
  /** First request lines (`GET / HTTP/1.1`) or first statuses, made with the first one. */
  lines: string[] | undefined;
  statuses: number[] | undefined;
  /** Version of the first message, as `HTTP/1.1`. */
  version: string | null = null;
  /** Index of the first message that said the connection will close, and how it said it. */
  closeAt = -1;
  closeSignal: CloseSignal | null = null;

  private state = State.Head;
  private head: Uint8Array | undefined;
  private headLength = 0;
  private firstLineChecked = false;
  private remaining = 0;
  private chunkSize = 0;
  private chunkDigits = 0;
  private chunkExtension = false;
  private lineLength = 0;
  private trailerBytes = 0;

  constructor(private readonly exchange: HttpExchange) {}

  /** This direction carried something that is not HTTP/1.x from its first byte. */
  get notHttp(): boolean {
    return this.state === State.NotHttp;
  }

  /** Nothing more to learn from this direction (not HTTP, tunnelled, lost, or a body read to the close). */
  get idle(): boolean {
    return this.state >= State.ToClose;
  }

  /** Marks the results incomplete (a cut, a hole, or bytes that are not a message where one must start). */
  lose(): void {
    if (this.state === State.NotHttp) return;
    this.known = false;
    this.state = State.Lost;
    this.head = undefined;
  }

  data(bytes: Uint8Array, start: number, end: number): void {
    let at = start;
    const length = end;
    while (at < length) {
      switch (this.state) {
        case State.Head:
          if (this.exchange.tunnel && this.headLength === 0) {
            this.state = State.Tunnel;
            break;
          }
          at = this.readHead(bytes, at, end);
          break;
        case State.Body:
        case State.ChunkData: {
          const take = Math.min(this.remaining, length - at);
          at += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = this.state === State.Body ? this.endMessage() : State.ChunkDataEnd;
          break;
        }
        case State.ChunkSize:
          at = this.readChunkSize(bytes, at, end);
          break;
        case State.ChunkDataEnd: {
          // CRLF after the chunk data (a bare LF tolerated).
          const byte = bytes[at++]!;
          if (byte === LF) this.state = State.ChunkSize;
          else if (byte !== CR) this.lose();
          break;
        }
        case State.Trailers:
          at = this.readTrailers(bytes, at, end);
          break;
        case State.ToClose:
        case State.Tunnel:
        case State.Lost:
        case State.NotHttp:
          return;
      }
    }
  }

  gap(length: number): void {
    switch (this.state) {
      case State.Body:
      case State.ChunkData:
        if (length > this.remaining) {
          this.lose();
          return;
        }
        this.remaining -= length;
        if (this.remaining === 0) this.state = this.state === State.Body ? this.endMessage() : State.ChunkDataEnd;
        return;
      case State.ToClose:
      case State.Tunnel:
      case State.Lost:
      case State.NotHttp:
        return;
      default:
        this.lose();
    }
  }

  private endMessage(): State {
    this.headLength = 0;
    this.firstLineChecked = false;
    return this.exchange.tunnel ? State.Tunnel : State.Head;
  }

  /** Reads head bytes from bytes[start, end); returns where it stopped. */
  private readHead(bytes: Uint8Array, start: number, end: number): number {
    let at = start;
    if (this.headLength === 0) {
      // RFC 9112 §2.2: empty lines before a request line are ignored.
      while (at < end && (bytes[at] === CR || bytes[at] === LF)) at++;
      if (at === end) return at;
      if (this.role === undefined && !isTokenStart(bytes[at]!)) {
        this.state = State.NotHttp;
        return end;
      }
      const limit = Math.min(end, at + HEAD_LIMIT);
      // The usual case: the whole head is in this segment. Read it in place, copy nothing.
      const whole = this.readWholeHead(bytes, at, limit);
      if (whole >= 0) return whole;
      const headEnd = this.scanHead(bytes, at, at, limit);
      if (this.state !== State.Head) return end;
      if (headEnd >= 0) {
        this.readWholeHead(bytes, at, headEnd);
        return headEnd;
      }
      if (end - at >= HEAD_LIMIT) {
        this.loseOrReject();
        return end;
      }
      // The head continues in the next segment: keep what we have.
      const head = this.reserve(end - at);
      head.set(bytes.subarray(at, end), 0);
      this.headLength = end - at;
      return end;
    }
    const take = Math.min(end - at, HEAD_LIMIT - this.headLength);
    const head = this.reserve(this.headLength + take);
    head.set(bytes.subarray(at, at + take), this.headLength);
    const before = this.headLength;
    this.headLength += take;
    const headEnd = this.scanHead(head, 0, before, this.headLength);
    if (this.state !== State.Head) return end;
    if (headEnd < 0) {
      if (this.headLength === HEAD_LIMIT) this.loseOrReject();
      return at + take;
    }
    this.readWholeHead(head, 0, headEnd);
    this.head = undefined; // a head is a few hundred bytes: hold none between messages
    return at + (headEnd - before);
  }

  /** The head buffer, grown (doubling, up to HEAD_LIMIT) to hold `needed` bytes. */
  private reserve(needed: number): Uint8Array {
    const current = this.head;
    if (current !== undefined && current.length >= needed) return current;
    const grown = new Uint8Array(Math.min(HEAD_LIMIT, Math.max(1024, needed, (current?.length ?? 0) * 2)));
    if (current !== undefined) grown.set(current.subarray(0, this.headLength));
    this.head = grown;
    return grown;
  }

  /**
   * Scans buffer[from, to) of a head that starts at buffer[base] for the empty line that ends
   * it; returns the index after that line, or -1. Checks the start line as soon as it is whole.
   */
  private scanHead(buffer: Uint8Array, base: number, from: number, to: number): number {
    for (let i = from; i < to; i++) {
      const byte = buffer[i]!;
      if (!this.firstLineChecked) {
        // The start line is printable text: anything else is another protocol.
        if (byte === LF) {
          this.firstLineChecked = true;
          if (!this.startLineLooksRight(buffer, base, i)) return -1;
        } else if ((byte < 0x20 && byte !== CR && byte !== 0x09) || byte >= 0x7f) {
          this.loseOrReject();
          return -1;
        }
        continue;
      }
      if (byte !== LF) continue;
      if (i - 1 >= base && buffer[i - 1] === LF) return i + 1;
      if (i - 2 >= base && buffer[i - 1] === CR && buffer[i - 2] === LF) return i + 1;
    }
    return -1;
  }

  private startLineLooksRight(buffer: Uint8Array, base: number, lineEnd: number): boolean {
    const stop = lineEnd > base && buffer[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
    const response = this.role === undefined ? looksLikeStatusLine(buffer, base, stop) : this.role === 'response';
    if (!(response ? parseStatusLine(buffer, base, stop) : parseRequestLine(buffer, base, stop))) {
      this.loseOrReject();
      return false;
    }
    this.role = response ? 'response' : 'request';
    return true;
  }

  /** Not a message where one must start: before any message, this is not HTTP; after, unknown. */
  private loseOrReject(): void {
    if (this.role === undefined) {
      this.state = State.NotHttp;
      this.head = undefined;
    } else {
      this.lose();
    }
  }

  /**
   * Reads a head that lies whole in bytes[start, limit), in place, and returns the index after
   * it; or returns -1, having changed nothing, when no empty line ends it before `limit` or its
   * start line is not one this direction may carry (the byte-by-byte scan then decides).
   */
  private readWholeHead(bytes: Uint8Array, start: number, limit: number): number {
    const firstEnd = lineFeed(bytes, start, limit);
    if (firstEnd < 0) return -1;
    const firstStop = firstEnd > start && bytes[firstEnd - 1] === CR ? firstEnd - 1 : firstEnd;
    const response = this.role === undefined ? looksLikeStatusLine(bytes, start, firstStop) : this.role === 'response';
    if (!(response ? parseStatusLine(bytes, start, firstStop) : parseRequestLine(bytes, start, firstStop))) return -1;
    fields.connectionClose = false;
    fields.keepAlive = false;
    fields.contentLength = -1;
    fields.transferEncoding = undefined;
    fields.invalid = false;
    for (let at = firstEnd + 1; ; ) {
      const end = lineFeed(bytes, at, limit);
      if (end < 0) return -1;
      const stop = end > at && bytes[end - 1] === CR ? end - 1 : end;
      if (stop === at) {
        this.endHead(response, bytes, start, firstStop);
        return end + 1;
      }
      if (!fields.invalid) readField(bytes, at, stop);
      at = end + 1;
    }
  }

  /** A whole head was read: `startLine` and `fields` hold what it said. */
  private endHead(response: boolean, bytes: Uint8Array, start: number, stop: number): void {
    this.role = response ? 'response' : 'request';
    if (fields.invalid) return this.lose();
    const minor = startLine.minor;
    const index = this.messages++;
    this.version ??= VERSIONS[minor]!;
    // RFC 9112 §9.3: "close" ends the connection; HTTP/1.0 persists only with keep-alive.
    const signal: CloseSignal | null = fields.connectionClose ? 'connection-close' : minor === 0 && !fields.keepAlive ? 'http/1.0' : null;
    if (signal !== null && this.closeAt < 0) {
      this.closeAt = index;
      this.closeSignal = signal;
    }
    const transferEncoding = fields.transferEncoding;
    const contentLength = fields.contentLength;
    const chunked = transferEncoding !== undefined && /(^|,)\s*chunked\s*$/.test(transferEncoding);
    this.headLength = 0;
    this.firstLineChecked = false;
    if (!response) {
      // Arrays start as literals of one: an empty array's first push reserves room for 17.
      const lines = this.lines;
      if (lines === undefined) this.lines = [lineText(bytes, start, stop)];
      else if (lines.length < KEPT_PER_CONNECTION) lines.push(lineText(bytes, start, stop));
      const method = startLine.method;
      const methods = this.exchange.methods;
      if (methods === undefined) {
        this.exchange.methods = [method];
      } else {
        if (methods.length >= METHOD_QUEUE_LIMIT) methods.shift();
        methods.push(method);
      }
      if (method === Method.Connect) {
        this.state = State.Tunnel;
        return;
      }
      // RFC 9112 §6.3: a request without Content-Length or chunked coding has no body.
      if (chunked) this.startChunked();
      else if (transferEncoding !== undefined) this.lose();
      else this.startBody(Math.max(contentLength, 0));
      return;
    }
    const code = startLine.status;
    const statuses = this.statuses;
    if (statuses === undefined) this.statuses = [code];
    else if (statuses.length < KEPT_PER_CONNECTION) statuses.push(code);
    if (code >= 100 && code < 200 && code !== 101) {
      this.state = State.Head; // interim response: the final one follows, for the same request
      return;
    }
    const method = this.exchange.methods?.shift();
    if (code === 101 || (method === Method.Connect && code >= 200 && code < 300)) {
      this.exchange.tunnel = true;
      this.state = State.Tunnel;
      return;
    }
    // RFC 9112 §6.3 items 1-2: no body after HEAD, 1xx, 204, 304.
    if (method === Method.Head || code === 204 || code === 304) this.startBody(0);
    else if (chunked) this.startChunked();
    else if (transferEncoding !== undefined) this.state = State.ToClose;
    else if (contentLength >= 0) this.startBody(contentLength);
    else this.state = State.ToClose; // item 8: the body ends when the server closes
  }

  private startBody(length: number): void {
    this.remaining = length;
    this.state = length > 0 ? State.Body : this.endMessage();
  }

  private startChunked(): void {
    this.state = State.ChunkSize;
    this.chunkSize = 0;
    this.chunkDigits = 0;
    this.chunkExtension = false;
  }

  /** chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); the size in hex. */
  private readChunkSize(bytes: Uint8Array, start: number, end: number): number {
    let at = start;
    while (at < end) {
      const byte = bytes[at++]!;
      if (byte === LF) {
        if (this.chunkDigits === 0) {
          this.lose();
          return end;
        }
        if (this.chunkSize === 0) {
          this.state = State.Trailers;
          this.lineLength = 0;
          this.trailerBytes = 0;
        } else {
          this.state = State.ChunkData;
          this.remaining = this.chunkSize;
          this.chunkSize = 0;
          this.chunkDigits = 0;
          this.chunkExtension = false;
        }
        return at;
      }
      if (this.chunkExtension || byte === CR) continue;
      const digit = hexValue(byte);
      if (digit >= 0 && this.chunkDigits < 12) {
        this.chunkSize = this.chunkSize * 16 + digit;
        this.chunkDigits++;
      } else if ((byte === 0x3b || byte === 0x20 || byte === 0x09) && this.chunkDigits > 0) {
        this.chunkExtension = true;
      } else {
        this.lose();
        return end;
      }
    }
    return at;
  }

  /** trailer-section CRLF: lines until an empty one (RFC 9112 §7.1.2). */
  private readTrailers(bytes: Uint8Array, start: number, end: number): number {
    let at = start;
    while (at < end) {
      const byte = bytes[at++]!;
      if (++this.trailerBytes > HEAD_LIMIT) {
        this.lose();
        return end;
      }
      if (byte === LF) {
        if (this.lineLength === 0) {
          this.state = this.endMessage();
          return at;
        }
        this.lineLength = 0;
      } else if (byte !== CR) {
        this.lineLength++;
      }
    }
    return at;
  }
}

const FIELDS = ['connection', 'content-length', 'transfer-encoding'] as const;
const FIELD_BYTES = FIELDS.map((name) => Uint8Array.from(name, (c) => c.charCodeAt(0)));

/** Which of the fields we read block[start, colon) names (case-insensitive), if any. */
function fieldName(block: Uint8Array, start: number, colon: number): (typeof FIELDS)[number] | undefined {
  const length = colon - start;
  for (let f = 0; f < FIELDS.length; f++) {
    const name = FIELD_BYTES[f]!;
    if (name.length !== length) continue;
    let same = true;
    for (let i = 0; i < length && same; i++) same = (block[start + i]! | 0x20) === name[i];
    if (same) return FIELDS[f];
  }
  return undefined;
}

function hexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x41 + 10;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x61 + 10;
  return -1;
}

/** Index of the first LF in bytes[from, to), or -1 (a loop: header lines are short, and a call costs more). */
function lineFeed(bytes: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (bytes[i] === LF) return i;
  return -1;
}

/** What the header fields of the head being read said (one reused object: heads are read one at a time). */
const fields = {
  connectionClose: false,
  keepAlive: false,
  contentLength: -1,
  transferEncoding: undefined as string | undefined,
  /** Content-Length values that disagree or are not a number: the framing is unknown. */
  invalid: false,
};

const SP = 0x20;
const TAB = 0x09;

/** One header field line, bytes[at, stop): only Connection, Content-Length and Transfer-Encoding matter. */
function readField(bytes: Uint8Array, at: number, stop: number): void {
  const first = bytes[at]! | 0x20;
  if (first !== 0x63 && first !== 0x74) return;
  let colon = at;
  while (colon < stop && bytes[colon] !== 0x3a) colon++;
  const field = colon > at && colon < stop ? fieldName(bytes, at, colon) : undefined;
  if (field === undefined) return;
  if (field === 'content-length' && fields.contentLength < 0) {
    // The usual form, digits between optional blanks, read without making a string.
    let from = colon + 1;
    let to = stop;
    while (from < to && (bytes[from] === SP || bytes[from] === TAB)) from++;
    while (to > from && (bytes[to - 1] === SP || bytes[to - 1] === TAB)) to--;
    let length = 0;
    let digits = from;
    for (; digits < to; digits++) {
      const byte = bytes[digits]!;
      if (byte < 0x30 || byte > 0x39) break;
      length = length * 10 + (byte - 0x30);
    }
    if (digits === to && to > from && to - from <= 15) {
      fields.contentLength = length;
      return;
    }
  }
  const value = latin1(bytes, colon + 1, stop).trim().toLowerCase();
  if (field === 'connection') {
    for (const token of value.split(',')) {
      const option = token.trim();
      if (option === 'close') fields.connectionClose = true;
      else if (option === 'keep-alive') fields.keepAlive = true;
    }
  } else if (field === 'content-length') {
    // Repeated or comma-joined identical values are one length (RFC 9112 §6.3 item 5).
    const values = new Set(value.split(',').map((v) => v.trim()));
    if (fields.contentLength >= 0) values.add(String(fields.contentLength));
    const text = [...values][0]!;
    if (values.size !== 1 || !/^\d{1,15}$/.test(text)) fields.invalid = true;
    else fields.contentLength = Number(text);
  } else {
    fields.transferEncoding = fields.transferEncoding === undefined ? value : `${fields.transferEncoding}, ${value}`;
  }
}

