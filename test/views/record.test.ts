import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { ViewRecorder, type LadderStep, type RecorderOptions, type ViewData } from '../../src/view/record.js';
import { conversation, pcapOf, type Conversation } from '../helpers/conversation.js';

const endpoints = { client: '10.0.0.1:40000', server: '10.0.0.2:80' };
const request = 'GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n';
const response = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

async function record(pcap: Uint8Array, options: RecorderOptions): Promise<ViewData> {
  const recorder = new ViewRecorder(options);
  await analyze(pcap, { observers: [recorder] });
  return recorder.finish();
}

/** One line per step: direction, flags or label, count, marks. */
function shape(steps: readonly LadderStep[]): string[] {
  return steps.map((s) => {
    const marks = [
      s.count > 1 ? `x${s.count}` : '',
      s.retransmission ? 'retx' : '',
      s.firstFin ? 'first-fin' : '',
      s.firstRst ? 'first-rst' : '',
      s.interleaved ? 'interleaved' : '',
    ].filter(Boolean);
    return [s.fromClient ? 'c>' : '<s', s.http ?? (s.payloadBytes > 0 ? `${s.payloadBytes}B` : `flags=${s.flags}`), ...marks].join(' ');
  });
}

describe('ViewRecorder: ladder steps', () => {
  it('labels HTTP request and status lines, and marks the first FIN only', async () => {
    const talk = conversation(endpoints).handshake().data('client', request).data('server', response)
      .fin('server').fin('client').ack('server');
    const data = await record(talk.pcap(), { ladders: [1] });
    expect(data.ladders).toHaveLength(1);
    expect(shape(data.ladders[0]!.head)).toEqual([
      'c> flags=2',
      '<s flags=18',
      'c> flags=16',
      'c> GET /index.html',
      '<s 200 OK',
      '<s flags=17 first-fin',
      'c> flags=17',
      '<s flags=16',
    ]);
  });

  it('collapses a run of pure ACKs in one direction into one step with a count', async () => {
    const talk = conversation(endpoints).handshake().ack('client').ack('client').ack('client').ack('server');
    const data = await record(talk.pcap(), { ladders: [1] });
    expect(shape(data.ladders[0]!.head)).toEqual(['c> flags=2', '<s flags=18', 'c> flags=16 x4', '<s flags=16']);
    const run = data.ladders[0]!.head[2]!;
    expect(run.time).toBe(2_000_000);
    expect(run.endTime).toBe(5_000_000);
  });

  it('collapses a bulk transfer (data one way, ACKs back) into two interleaved steps', async () => {
    const talk = conversation(endpoints).handshake().data('client', request);
    for (let i = 0; i < 10; i++) talk.data('server', 'x'.repeat(100)).ack('client');
    talk.fin('server');
    const data = await record(talk.pcap(), { ladders: [1] });
    expect(shape(data.ladders[0]!.head)).toEqual([
      'c> flags=2',
      '<s flags=18',
      'c> flags=16',
      'c> GET /index.html',
      '<s 1000B x10 interleaved',
      'c> flags=16 x10 interleaved',
      '<s flags=17 first-fin',
    ]);
  });

  it('marks a resent data segment and a resent FIN as retransmissions, never collapsed', async () => {
    const talk = conversation(endpoints).handshake()
      .send('client', 'PSH,ACK', { payload: 'abcdef', seq: 1001 })
      .send('client', 'PSH,ACK', { payload: 'abcdef', seq: 1001 })
      .send('server', 'FIN,ACK', { seq: 5001 })
      .send('server', 'FIN,ACK', { seq: 5001 });
    const data = await record(talk.pcap(), { ladders: [1] });
    expect(shape(data.ladders[0]!.head).slice(3)).toEqual([
      'c> 6B',
      'c> 6B retx',
      '<s flags=17 first-fin',
      '<s flags=17 retx',
    ]);
  });

  it('keeps a head and a tail of steps and counts the packets between', async () => {
    const talk = conversation(endpoints).handshake();
    for (let i = 0; i < 30; i++) talk.data('client', `GET /${i} HTTP/1.1\r\n\r\n`);
    talk.fin('client');
    const data = await record(talk.pcap(), { ladders: [1], headSteps: 5, tailSteps: 3 });
    const ladder = data.ladders[0]!;
    expect(ladder.head).toHaveLength(5);
    expect(ladder.tail).toHaveLength(3);
    expect(ladder.omitted).toBe(3 + 30 + 1 - 5 - 3);
    expect(shape(ladder.tail)).toEqual(['c> GET /28', 'c> GET /29', 'c> flags=17 first-fin']);
  });

  it('records only the selected connections, or the first ladderLimit with all', async () => {
    const talks = [1, 2, 3].map((n) =>
      conversation({ client: `10.0.0.1:4000${n}`, server: '10.0.0.2:80', offsetMicros: n * 100 }).handshake().fin('client'));
    expect((await record(pcapOf(...talks), { ladders: [2] })).ladders.map((l) => l.id)).toEqual([2]);
    expect((await record(pcapOf(...talks), { ladders: 'all', ladderLimit: 2 })).ladders.map((l) => l.id)).toEqual([1, 2]);
    expect((await record(pcapOf(...talks), { timeline: true })).ladders).toEqual([]);
  });

  it('resolves directions with the final roles (a SYN-ACK seen after the first packet)', async () => {
    // The capture starts with the client's ACK, so the first packet's sender is endpoint 0; the
    // late SYN-ACK from the server confirms the client role.
    const talk = conversation(endpoints).send('server', 'ACK').send('server', 'SYN,ACK').ack('client');
    const data = await record(talk.pcap(), { ladders: [1] });
    expect(data.ladders[0]!.head.map((s) => s.fromClient)).toEqual([false, false, true]);
  });
});

describe('ViewRecorder: timeline rows', () => {
  it('finds requests as client data after server data, with times from the first segment', async () => {
    const a = conversation({ ...endpoints, stepMicros: 1000 }).handshake()
      .data('client', request).ack('server').data('server', response)
      .data('client', request).data('server', response).fin('client').fin('server').ack('client');
    const data = await record(a.pcap(), { timeline: true });
    expect(data.timeline).toEqual([
      {
        id: 1,
        start: 0,
        end: 10_000_000,
        syn: 0,
        synAck: 1_000_000,
        clientFin: 8_000_000,
        serverFin: 9_000_000,
        clientRst: null,
        serverRst: null,
        bursts: [{ start: 3_000_000, end: 5_000_000 }, { start: 6_000_000, end: 7_000_000 }],
        burstsMerged: 0,
      },
    ]);
  });

  it('caps bursts per row by merging neighbours pairwise, keeping the whole span', async () => {
    const talk = conversation(endpoints).handshake();
    for (let i = 0; i < 6; i++) talk.data('client', 'q').data('server', 'a');
    // Packets 3, 5, ... 13 are the requests and 4, 6, ... 14 the answers (1 ms apart).
    const data = await record(talk.pcap(), { timeline: true, burstLimit: 4 });
    const row = data.timeline[0]!;
    expect(row.bursts).toEqual([
      { start: 3_000_000, end: 6_000_000 },
      { start: 7_000_000, end: 10_000_000 },
      { start: 11_000_000, end: 12_000_000 },
      { start: 13_000_000, end: 14_000_000 },
    ]);
    expect(row.burstsMerged).toBe(2);
  });

  it('stops adding rows at the limit but counts every connection', async () => {
    const talks: Conversation[] = [1, 2, 3].map((n) =>
      conversation({ client: `10.0.0.1:4000${n}`, server: '10.0.0.2:80', offsetMicros: n * 100 }).handshake());
    const data = await record(pcapOf(...talks), { timeline: true, timelineLimit: 2 });
    expect(data.timeline.map((row) => row.id)).toEqual([1, 2]);
    expect(data.connections).toBe(3);
  });
});
