/**
 * Bytes per tracked connection: heap used (plus array buffers) after tracking N connections (each a full 9-packet
 * HTTP-like exchange fed straight to the tracker), minus the heap before, divided by N.
 * Run with --expose-gc so the numbers are live objects, not garbage:
 *   node --expose-gc bench/memory.mjs [connections]
 * Prints one JSON line: { connections, heapBytes, bytesPerConnection, seconds }.
 */
import { createDecodedPacket } from '../dist/decode/decoded.js';
import { ConnectionTracker } from '../dist/track/tracker.js';

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

const count = Number(process.argv[2] ?? 1_000_000);
const gc = globalThis.gc;
if (typeof gc !== 'function') throw new Error('run with node --expose-gc');

const packet = createDecodedPacket();
const place = { capture: 0, packet: 0, seconds: 1_700_000_000, nanos: 0, precision: 6 };

function send(tracker, fromClient, client, clientPort, flags, seq, ack, payload) {
  packet.ipVersion = 4;
  const server = 0xc0a80001;
  packet.sourceAddress[3] = 0;
  packet.destinationAddress[3] = 0;
  packet.sourceAddress[0] = fromClient ? client : server;
  packet.destinationAddress[0] = fromClient ? server : client;
  packet.sourcePort = fromClient ? clientPort : 80;
  packet.destinationPort = fromClient ? 80 : clientPort;
  packet.flags = flags;
  packet.sequence = seq >>> 0;
  packet.acknowledgement = ack >>> 0;
  packet.window = 65535;
  packet.payloadLength = payload;
  packet.capturedPayloadLength = payload;
  place.packet++;
  place.nanos = (place.nanos + 7000) % 1e9;
  tracker.observe(packet, place);
}

gc();
const used = () => {
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
};
const before = used();
const started = performance.now();
const tracker = new ConnectionTracker();
for (let i = 0; i < count; i++) {
  const client = (0x0a000000 | (i & 0xffffff)) >>> 0;
  const port = 1024 + (i % 60000);
  const c = (i * 2654435761) >>> 0;
  const s = (i * 40503 + 12345) >>> 0;
  send(tracker, true, client, port, SYN, c, 0, 0);
  send(tracker, false, client, port, SYN | ACK, s, c + 1, 0);
  send(tracker, true, client, port, ACK, c + 1, s + 1, 0);
  send(tracker, true, client, port, PSH | ACK, c + 1, s + 1, 100);
  send(tracker, false, client, port, ACK, s + 1, c + 101, 0);
  send(tracker, false, client, port, PSH | ACK, s + 1, c + 101, 300);
  send(tracker, false, client, port, FIN | ACK, s + 301, c + 101, 0);
  send(tracker, true, client, port, FIN | ACK, c + 101, s + 302, 0);
  send(tracker, false, client, port, ACK, s + 302, c + 102, 0);
}
const seconds = (performance.now() - started) / 1000;
gc();
const heapBytes = used() - before;
if (tracker.connectionCount !== count) throw new Error(`expected ${count} connections, tracked ${tracker.connectionCount}`);
process.stdout.write(
  `${JSON.stringify({ connections: count, heapBytes, bytesPerConnection: Math.round(heapBytes / count), seconds })}\n`,
);
