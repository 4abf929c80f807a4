/**
 * Script a TCP conversation step by step and get it as a real pcap file (built byte by byte),
 * so tracker scenarios run through the same reader and decoder as real captures.
 *
 *   const talk = conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' });
 *   talk.handshake().data('client', 'GET / HTTP/1.1\r\n\r\n').fin('server').fin('client').ack('server');
 *   const report = await analyze(talk.pcap());
 */
import { buildPcap } from './capture-builder.js';
import { bytesOf, tcpFrame } from './packet-builder.js';

export type Who = 'client' | 'server';

interface Peer {
  address: string;
  port: number;
  /** Next sequence number this side will send. */
  next: number;
}

function splitEndpoint(text: string): { address: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!match) throw new Error(`bad endpoint ${text}`);
  return { address: match[1]!, port: Number(match[2]) };
}

export interface ConversationOptions {
  client: string;
  server: string;
  clientIsn?: number;
  serverIsn?: number;
  /** Seconds of the first packet; each step adds `stepMicros`. */
  startSeconds?: number;
  stepMicros?: number;
  /** Microseconds added to every timestamp (to interleave conversations). */
  offsetMicros?: number;
  linkType?: number;
  vlan?: number;
}

export class Conversation {
  readonly frames: { data: Uint8Array; seconds: number; fraction: number }[] = [];
  private readonly peers: Record<Who, Peer>;

  constructor(private readonly options: ConversationOptions) {
    const client = splitEndpoint(options.client);
    const server = splitEndpoint(options.server);
    this.peers = {
      client: { ...client, next: options.clientIsn ?? 1000 },
      server: { ...server, next: options.serverIsn ?? 5000 },
    };
  }

  private other(who: Who): Who {
    return who === 'client' ? 'server' : 'client';
  }

  /** Sends one segment; sequence numbers advance as TCP would unless `seq` is given. */
  send(
    who: Who,
    flags: string,
    extra: { payload?: string | Uint8Array; seq?: number; ack?: number; window?: number; vlan?: number } = {},
  ): this {
    const from = this.peers[who];
    const to = this.peers[this.other(who)];
    const seq = extra.seq ?? from.next;
    const payload = bytesOf(extra.payload);
    const hasAck = flags.includes('ACK');
    const vlan = extra.vlan ?? this.options.vlan;
    const data = tcpFrame({
      ...(this.options.linkType !== undefined ? { linkType: this.options.linkType } : {}),
      src: from.address,
      dst: to.address,
      sport: from.port,
      dport: to.port,
      seq,
      ack: extra.ack ?? (hasAck ? to.next : 0),
      flags,
      ...(payload.length > 0 ? { payload } : {}),
      ...(extra.window !== undefined ? { window: extra.window } : {}),
      ...(vlan !== undefined ? { vlan } : {}),
    });
    const consumed = payload.length + (flags.includes('SYN') ? 1 : 0) + (flags.includes('FIN') ? 1 : 0);
    if (extra.seq === undefined) from.next = (seq + consumed) >>> 0;
    const micros = (this.options.offsetMicros ?? 0) + (this.options.stepMicros ?? 1000) * this.frames.length;
    const start = this.options.startSeconds ?? 1_700_000_000;
    this.frames.push({ data, seconds: start + Math.floor(micros / 1e6), fraction: micros % 1e6 });
    return this;
  }

  syn(extra: { seq?: number } = {}): this {
    return this.send('client', 'SYN', extra);
  }

  synAck(): this {
    return this.send('server', 'SYN,ACK');
  }

  ack(who: Who): this {
    return this.send(who, 'ACK');
  }

  handshake(): this {
    return this.syn().synAck().ack('client');
  }

  data(who: Who, payload: string | Uint8Array): this {
    return this.send(who, 'PSH,ACK', { payload });
  }

  fin(who: Who): this {
    return this.send(who, 'FIN,ACK');
  }

  rst(who: Who, withAck = false): this {
    return this.send(who, withAck ? 'RST,ACK' : 'RST');
  }

  /** Sets the next sequence number of a side (to script a new ISN for port reuse). */
  restart(who: Who, isn: number): this {
    this.peers[who].next = isn;
    return this;
  }

  pcap(): Uint8Array {
    return buildPcap({
      ...(this.options.linkType !== undefined ? { linkType: this.options.linkType } : {}),
      records: this.frames.map((f) => ({ seconds: f.seconds, fraction: f.fraction, data: f.data })),
    });
  }
}

export function conversation(options: ConversationOptions): Conversation {
  return new Conversation(options);
}

/** Several conversations in one pcap, records ordered by time. */
export function pcapOf(...conversations: Conversation[]): Uint8Array {
  const records = conversations
    .flatMap((c) => c.frames)
    .sort((a, b) => a.seconds - b.seconds || a.fraction - b.fraction)
    .map((f) => ({ seconds: f.seconds, fraction: f.fraction, data: f.data }));
  return buildPcap({ records });
}

/**
 * `count` interleaved connections, closed every way a summary counts (FIN after a request, FIN,
 * refused, still open), to two servers, one of them from a long IPv6 client near the end: enough
 * of them cross chunk boundaries and size columns by rows far from the first.
 */
export function connectionsOfEveryEnding(count: number): Uint8Array {
  const talks: Conversation[] = [];
  for (let i = 0; i < count; i++) {
    const wide = i === count - 7;
    const client = wide ? '[2001:db8:ffff:ffff::1234]:65000' : `10.0.${i >> 8}.${i & 255}:${40000 + i}`;
    const server = wide ? '[2001:db8::80]:80' : i % 5 === 0 ? '10.9.0.1:8080' : '10.9.0.2:80';
    const talk = conversation({ client, server, offsetMicros: i * 10 });
    const kind = i % 4;
    if (kind === 0) talk.handshake().data('client', 'GET / HTTP/1.1\r\n\r\n').fin('server').fin('client').ack('server');
    else if (kind === 1) talk.handshake().fin('client').fin('server').ack('client');
    else if (kind === 2) talk.syn().rst('server', true);
    else talk.handshake().data('client', 'x');
    talks.push(talk);
  }
  return pcapOf(...talks);
}
