/**
 * Deterministic synthetic captures for the benchmark: Ethernet/IPv4/TCP conversations written
 * straight to disk through one reused buffer (memory stays flat however big the file).
 *
 * Each connection is a client on 10.x.y.z talking to a server on 192.168.0.1-8 port 80:
 *   SYN, SYN-ACK, ACK, request (client data), ACK, then `dataPackets` server data segments
 *   (each acknowledged by the client every other segment), then FIN/ACK from one side, FIN/ACK
 *   from the other, last ACK. With dataPackets = 1 that is the 9-packet HTTP-like exchange.
 * `concurrent` connections are live at once: packets are emitted round-robin over that many
 * slots, and a slot starts a new connection when its connection ends.
 *
 * Usage as a script: node bench/generate.mjs out.pcap [--pcapng] [--connections N] [--data M]
 *   [--concurrent C] [--mixed]
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const MSS = 1460;
const ETHERNET = 14;
const IPV4 = 20;
const TCP = 20;
const HEADERS = ETHERNET + IPV4 + TCP;

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/** Small, seeded PRNG (mulberry32): the same options always give the same bytes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whole HTTP/1.1 request heads of a few lengths (paths of 1 to 64 characters). */
const REQUESTS = [1, 8, 24, 64].map((length) =>
  new TextEncoder().encode(
    `GET /${'p'.repeat(length)} HTTP/1.1\r\nHost: bench.example\r\nUser-Agent: synfin-bench\r\nAccept: */*\r\n\r\n`,
  ),
);
const RESPONSE_HEAD = new TextEncoder().encode('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n');

class CaptureWriter {
  constructor(path, format, bufferSize = 8 << 20) {
    this.fd = openSync(path, 'w');
    this.format = format;
    this.buffer = Buffer.alloc(bufferSize);
    this.length = 0;
    this.bytes = 0;
    this.packets = 0;
    if (format === 'pcap') {
      const b = this.reserve(24);
      this.buffer.writeUInt32LE(0xa1b2c3d4, b);
      this.buffer.writeUInt16LE(2, b + 4);
      this.buffer.writeUInt16LE(4, b + 6);
      this.buffer.writeUInt32LE(0, b + 8);
      this.buffer.writeUInt32LE(0, b + 12);
      this.buffer.writeUInt32LE(65535, b + 16);
      this.buffer.writeUInt32LE(1, b + 20);
    } else {
      // Section header block (28 bytes, no options) and one Ethernet interface, microseconds.
      let b = this.reserve(28);
      this.buffer.writeUInt32LE(0x0a0d0d0a, b);
      this.buffer.writeUInt32LE(28, b + 4);
      this.buffer.writeUInt32LE(0x1a2b3c4d, b + 8);
      this.buffer.writeUInt16LE(1, b + 12);
      this.buffer.writeUInt16LE(0, b + 14);
      this.buffer.writeInt32LE(-1, b + 16);
      this.buffer.writeInt32LE(-1, b + 20);
      this.buffer.writeUInt32LE(28, b + 24);
      b = this.reserve(20);
      this.buffer.writeUInt32LE(1, b);
      this.buffer.writeUInt32LE(20, b + 4);
      this.buffer.writeUInt16LE(1, b + 8);
      this.buffer.writeUInt16LE(0, b + 10);
      this.buffer.writeUInt32LE(65535, b + 12);
      this.buffer.writeUInt32LE(20, b + 16);
    }
  }

  reserve(count) {
    if (this.length + count > this.buffer.length) this.flush();
    const at = this.length;
    this.length += count;
    this.bytes += count;
    return at;
  }

  flush() {
    let written = 0;
    while (written < this.length) written += writeSync(this.fd, this.buffer, written, this.length - written);
    this.length = 0;
  }

  /** One Ethernet/IPv4/TCP frame; `payload` bytes come from `body` (repeated if shorter). */
  packet(micros, src, dst, sport, dport, seq, ack, flags, payloadLength, body) {
    const frameLength = HEADERS + payloadLength;
    const pcapng = this.format === 'pcapng';
    const padded = (frameLength + 3) & ~3;
    const recordLength = pcapng ? 28 + padded + 4 : 16 + frameLength;
    const buffer = this.buffer;
    let at = this.reserve(recordLength);
    const seconds = Math.floor(micros / 1e6);
    const fraction = micros - seconds * 1e6;
    if (pcapng) {
      buffer.writeUInt32LE(6, at);
      buffer.writeUInt32LE(recordLength, at + 4);
      buffer.writeUInt32LE(0, at + 8);
      buffer.writeUInt32LE(Math.floor(micros / 4294967296), at + 12);
      buffer.writeUInt32LE(micros % 4294967296, at + 16);
      buffer.writeUInt32LE(frameLength, at + 20);
      buffer.writeUInt32LE(frameLength, at + 24);
      buffer.writeUInt32LE(recordLength, at + recordLength - 4);
      buffer.fill(0, at + 28 + frameLength, at + 28 + padded);
      at += 28;
    } else {
      buffer.writeUInt32LE(seconds, at);
      buffer.writeUInt32LE(fraction, at + 4);
      buffer.writeUInt32LE(frameLength, at + 8);
      buffer.writeUInt32LE(frameLength, at + 12);
      at += 16;
    }
    // Ethernet: made-up MACs derived from the addresses, EtherType IPv4.
    buffer.writeUInt32BE((0x02000000 | (dst >>> 8)) >>> 0, at);
    buffer.writeUInt16BE(dst & 0xffff, at + 4);
    buffer.writeUInt32BE((0x02000000 | (src >>> 8)) >>> 0, at + 6);
    buffer.writeUInt16BE(src & 0xffff, at + 10);
    buffer.writeUInt16BE(0x0800, at + 12);
    // IPv4 header with a correct checksum (RFC 791, RFC 1071).
    const ip = at + ETHERNET;
    buffer.writeUInt16BE(0x4500, ip);
    buffer.writeUInt16BE(IPV4 + TCP + payloadLength, ip + 2);
    buffer.writeUInt32BE((((this.packets & 0xffff) << 16) | 0x4000) >>> 0, ip + 4);
    buffer.writeUInt16BE(0x4006, ip + 8);
    buffer.writeUInt16BE(0, ip + 10);
    buffer.writeUInt32BE(src, ip + 12);
    buffer.writeUInt32BE(dst, ip + 16);
    let sum = 0;
    for (let i = 0; i < IPV4; i += 2) sum += buffer.readUInt16BE(ip + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    buffer.writeUInt16BE(~sum & 0xffff, ip + 10);
    // TCP header, no options; checksum left 0 (as with checksum offload).
    const tcp = ip + IPV4;
    buffer.writeUInt16BE(sport, tcp);
    buffer.writeUInt16BE(dport, tcp + 2);
    buffer.writeUInt32BE(seq >>> 0, tcp + 4);
    buffer.writeUInt32BE(ack >>> 0, tcp + 8);
    buffer.writeUInt16BE(0x5000 | flags, tcp + 12);
    buffer.writeUInt16BE(65535, tcp + 14);
    buffer.writeUInt32BE(0, tcp + 16);
    let payloadAt = tcp + TCP;
    let left = payloadLength;
    while (left > 0) {
      const n = Math.min(left, body.length);
      buffer.set(body.subarray(0, n), payloadAt);
      payloadAt += n;
      left -= n;
    }
    this.packets++;
  }

  close() {
    this.flush();
    closeSync(this.fd);
  }
}

/** Filler for response bodies: printable, deterministic. */
const BODY = new Uint8Array(MSS);
BODY.set(RESPONSE_HEAD);
for (let i = RESPONSE_HEAD.length; i < MSS; i++) BODY[i] = 0x61 + (i % 26);

/**
 * One connection as a little state machine: step() emits its next packet and returns false once
 * it has sent its last one.
 */
class Connection {
  constructor(id, options, rand) {
    this.client = ((10 << 24) | (id & 0xffffff)) >>> 0;
    this.server = ((192 << 24) | (168 << 16) | (1 + (id % 8))) >>> 0;
    this.clientPort = 1024 + ((id * 7919) % 64000);
    this.serverPort = 80;
    this.clientSeq = (rand() * 4294967295) >>> 0;
    this.serverSeq = (rand() * 4294967295) >>> 0;
    this.step = 0;
    this.data = options.dataPackets;
    this.sent = 0;
    this.mixed = options.mixed;
    this.rand = rand;
    // One in 20 connections is reset by the server instead of closed; half the rest close
    // from the server first, half from the client.
    const pick = rand();
    this.close = pick < 0.05 ? 'reset' : pick < 0.525 ? 'server' : 'client';
    this.request = REQUESTS[Math.floor(rand() * REQUESTS.length)];
    this.responseLength = options.mixed ? 0 : 200 + Math.floor(rand() * 200);
  }

  /** Size of the next server data segment: mixed sizes when asked, else one small response. */
  segmentLength() {
    if (!this.mixed) return this.responseLength;
    const r = this.rand();
    if (r < 0.55) return MSS;
    if (r < 0.8) return 64 + Math.floor(this.rand() * 512);
    return 576 + Math.floor(this.rand() * (MSS - 576));
  }

  emit(writer, micros) {
    const c = this.client;
    const s = this.server;
    const cp = this.clientPort;
    const sp = this.serverPort;
    switch (this.step++) {
      case 0:
        writer.packet(micros, c, s, cp, sp, this.clientSeq, 0, SYN, 0, BODY);
        this.clientSeq++;
        return true;
      case 1:
        writer.packet(micros, s, c, sp, cp, this.serverSeq, this.clientSeq, SYN | ACK, 0, BODY);
        this.serverSeq++;
        return true;
      case 2:
        writer.packet(micros, c, s, cp, sp, this.clientSeq, this.serverSeq, ACK, 0, BODY);
        return true;
      case 3:
        writer.packet(micros, c, s, cp, sp, this.clientSeq, this.serverSeq, PSH | ACK, this.request.length, this.request);
        this.clientSeq += this.request.length;
        return true;
      case 4:
        writer.packet(micros, s, c, sp, cp, this.serverSeq, this.clientSeq, ACK, 0, BODY);
        return true;
      default:
        break;
    }
    if (this.sent < this.data) {
      // Server data; the client acknowledges every second segment (delayed ACK).
      if (this.pendingAck) {
        this.pendingAck = false;
        this.step--;
        writer.packet(micros, c, s, cp, sp, this.clientSeq, this.serverSeq, ACK, 0, BODY);
        return true;
      }
      const length = this.segmentLength();
      writer.packet(micros, s, c, sp, cp, this.serverSeq, this.clientSeq, PSH | ACK, length, BODY);
      this.serverSeq += length;
      this.sent++;
      this.step--;
      if (this.sent % 2 === 0 && this.sent < this.data) this.pendingAck = true;
      return true;
    }
    const closing = this.step - 6;
    if (this.close === 'reset') {
      writer.packet(micros, s, c, sp, cp, this.serverSeq, this.clientSeq, RST | ACK, 0, BODY);
      return false;
    }
    const serverFirst = this.close === 'server';
    const [firstIsServer, a, b, ap, bp] = serverFirst ? [true, s, c, sp, cp] : [false, c, s, cp, sp];
    const seqOf = (server) => (server ? this.serverSeq : this.clientSeq);
    switch (closing) {
      case 0:
        writer.packet(micros, a, b, ap, bp, seqOf(firstIsServer), seqOf(!firstIsServer), FIN | ACK, 0, BODY);
        if (firstIsServer) this.serverSeq++;
        else this.clientSeq++;
        return true;
      case 1:
        writer.packet(micros, b, a, bp, ap, seqOf(!firstIsServer), seqOf(firstIsServer), FIN | ACK, 0, BODY);
        if (firstIsServer) this.clientSeq++;
        else this.serverSeq++;
        return true;
      default:
        writer.packet(micros, a, b, ap, bp, seqOf(firstIsServer), seqOf(!firstIsServer), ACK, 0, BODY);
        return false;
    }
  }
}

/**
 * Writes a capture and returns what is in it.
 * @param {{ path: string, format?: 'pcap' | 'pcapng', connections: number, dataPackets?: number,
 *   concurrent?: number, mixed?: boolean, seed?: number }} options
 */
export function generateCapture(options) {
  const format = options.format ?? 'pcap';
  const concurrent = Math.max(1, Math.min(options.concurrent ?? 100, options.connections));
  const settings = { dataPackets: options.dataPackets ?? 1, mixed: options.mixed ?? false };
  const rand = random(options.seed ?? 1);
  const writer = new CaptureWriter(options.path, format);
  const slots = [];
  let started = 0;
  let finished = 0;
  let micros = 1_700_000_000_000_000;
  for (; started < concurrent; started++) slots.push(new Connection(started, settings, rand));
  while (slots.length > 0) {
    for (let i = 0; i < slots.length; ) {
      micros += 7;
      if (slots[i].emit(writer, micros)) {
        i++;
        continue;
      }
      finished++;
      if (started < options.connections) slots[i] = new Connection(started++, settings, rand);
      else slots.splice(i, 1);
    }
  }
  writer.close();
  return { path: options.path, format, connections: finished, packets: writer.packets, bytes: writer.bytes };
}

function parseArgs(argv) {
  const options = { path: '', connections: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--pcapng') options.format = 'pcapng';
    else if (arg === '--mixed') options.mixed = true;
    else if (arg === '--connections') options.connections = Number(argv[++i]);
    else if (arg === '--data') options.dataPackets = Number(argv[++i]);
    else if (arg === '--concurrent') options.concurrent = Number(argv[++i]);
    else if (arg === '--seed') options.seed = Number(argv[++i]);
    else options.path = arg;
  }
  if (!options.path) throw new Error('usage: node bench/generate.mjs out.pcap [--pcapng] [--connections N] [--data M] [--concurrent C] [--mixed]');
  return options;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = generateCapture(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
