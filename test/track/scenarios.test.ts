import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { ConnectionReport } from '../../src/report/model.js';
import { conversation, pcapOf, type Conversation } from '../helpers/conversation.js';

const endpoints = { client: '10.0.0.1:40000', server: '10.0.0.2:80' };
const request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
const response = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';

async function connectionsOf(talk: Conversation, options = {}): Promise<ConnectionReport[]> {
  return (await analyze(talk.pcap(), options)).connections;
}

type Expected = Partial<Pick<ConnectionReport,
  'handshake' | 'closedBy' | 'closedWith' | 'simultaneousClose' | 'state' | 'history' | 'synRetransmits' | 'roleSource' | 'client' | 'server'>>;

const scenarios: { name: string; script: (t: Conversation) => unknown; expected: Expected[] }[] = [
  {
    name: 'server-fin-first',
    script: (t) => t.handshake().data('client', request).data('server', response).fin('server').fin('client').ack('server'),
    expected: [{ handshake: 'complete', closedBy: 'server', closedWith: 'fin', simultaneousClose: false, state: 'SF', history: 'ShADdfFa', roleSource: 'syn' }],
  },
  {
    name: 'client-fin-first',
    script: (t) => t.handshake().data('client', request).data('server', response).fin('client').fin('server').ack('client'),
    expected: [{ handshake: 'complete', closedBy: 'client', closedWith: 'fin', state: 'SF', history: 'ShADdFf' }],
  },
  {
    name: 'simultaneous-close',
    // Both FINs cross on the wire: each carries an ACK that does not yet cover the other's FIN.
    script: (t) => t.handshake().send('client', 'FIN,ACK').send('server', 'FIN,ACK', { ack: 1001 }).ack('client').ack('server'),
    expected: [{ closedBy: 'client', closedWith: 'fin', simultaneousClose: true, state: 'SF' }],
  },
  {
    name: 'rst-after-syn',
    script: (t) => t.syn().send('server', 'RST,ACK'),
    expected: [{ handshake: 'rejected', closedBy: 'server', closedWith: 'rst', state: 'REJ', history: 'Sr' }],
  },
  {
    name: 'rst-mid-connection',
    script: (t) => t.handshake().data('client', request).rst('client'),
    expected: [{ handshake: 'complete', closedBy: 'client', closedWith: 'rst', state: 'RSTO' }],
  },
  {
    name: 'server-rst-mid-connection',
    script: (t) => t.handshake().data('client', request).rst('server', true),
    expected: [{ closedBy: 'server', closedWith: 'rst', state: 'RSTR' }],
  },
  {
    name: 'fin-then-rst',
    script: (t) => t.handshake().fin('server').rst('client'),
    expected: [{ closedBy: 'server', closedWith: 'fin', state: 'RSTO' }],
  },
  {
    name: 'syn-without-answer',
    script: (t) => t.syn(),
    expected: [{ handshake: 'syn', closedBy: null, closedWith: null, state: 'S0', history: 'S' }],
  },
  {
    name: 'retransmitted-syn',
    script: (t) => t.syn().syn({ seq: 1000 }).syn({ seq: 1000 }).synAck().ack('client'),
    expected: [{ handshake: 'complete', synRetransmits: 2, state: 'S1', history: 'ShA' }],
  },
  {
    name: 'syn-ack-without-final-ack',
    script: (t) => t.syn().synAck(),
    expected: [{ handshake: 'syn-ack', state: 'S1' }],
  },
  {
    name: 'missing-syn (capture starts mid-stream)',
    script: (t) => t.data('client', request).data('server', response).fin('client').fin('server'),
    expected: [{ handshake: 'none', roleSource: 'lower-port', client: '10.0.0.1:40000', server: '10.0.0.2:80', closedBy: 'client', state: 'SF' }],
  },
  {
    name: 'missing-syn, first packet from the server',
    script: (t) => t.data('server', response).data('client', request),
    expected: [{ handshake: 'none', roleSource: 'lower-port', client: '10.0.0.1:40000', server: '10.0.0.2:80', state: 'OTH' }],
  },
  {
    name: 'syn-ack seen, syn missing',
    script: (t) => t.synAck().ack('client').data('client', request),
    expected: [{ handshake: 'none', roleSource: 'syn-ack', client: '10.0.0.1:40000', history: '^hAD' }],
  },
  {
    name: 'retransmitted FIN counts once',
    script: (t) => t.handshake().fin('server').send('server', 'FIN,ACK', { seq: 5001 }).fin('client').ack('server'),
    expected: [{ closedBy: 'server', closedWith: 'fin', simultaneousClose: false, state: 'SF' }],
  },
  {
    name: 'port reuse: new SYN with a new ISN after close',
    script: (t) =>
      t.handshake().fin('client').fin('server').ack('client')
        .restart('client', 900_000).restart('server', 700_000)
        .handshake().fin('server').fin('client').ack('server'),
    expected: [
      { handshake: 'complete', closedBy: 'client', state: 'SF' },
      { handshake: 'complete', closedBy: 'server', state: 'SF' },
    ],
  },
  {
    name: 'sequence numbers wrap around 2^32',
    script: (t) => t.restart('client', 0xffff_fff0).handshake().data('client', 'x'.repeat(40)).fin('client').fin('server').ack('client'),
    expected: [{ handshake: 'complete', closedBy: 'client', simultaneousClose: false, state: 'SF', history: 'ShADFf' }],
  },
];

describe('tracker scenarios (pcap built byte by byte → reader → decoder → tracker)', () => {
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const talk = conversation(endpoints);
      scenario.script(talk);
      const connections = await connectionsOf(talk);
      expect(connections).toHaveLength(scenario.expected.length);
      scenario.expected.forEach((expected, i) => expect(connections[i]).toMatchObject(expected));
    });
  }

  it('the --port filter decides roles when no handshake was seen', async () => {
    const talk = conversation({ client: '10.0.0.1:80', server: '10.0.0.2:9000' });
    talk.data('client', request).data('server', response);
    const [withFilter] = await connectionsOf(talk, { ports: [9000] });
    expect(withFilter).toMatchObject({ roleSource: 'filter-port', server: '10.0.0.2:9000' });
    const [withoutFilter] = await connectionsOf(talk);
    expect(withoutFilter).toMatchObject({ roleSource: 'lower-port', server: '10.0.0.1:80' });
  });

  it('a retransmitted SYN does not start a new connection, a new ISN after close does', async () => {
    const talk = conversation(endpoints).syn().rst('server', true).syn({ seq: 1000 });
    expect(await connectionsOf(talk)).toHaveLength(1);
    const reused = conversation(endpoints).syn().rst('server', true).syn({ seq: 77_777 });
    expect(await connectionsOf(reused)).toHaveLength(2);
  });

  it('counts packets and payload bytes per side, and timestamps with the file precision', async () => {
    const talk = conversation({ ...endpoints, stepMicros: 250 });
    talk.handshake().data('client', request).data('server', response).fin('server').fin('client').ack('server');
    const [c] = await connectionsOf(talk);
    // client: SYN, ACK, request, FIN · server: SYN-ACK, response, FIN, last ACK
    expect(c!.packets).toEqual({ client: 4, server: 4 });
    expect(c!.payloadBytes).toEqual({ client: request.length, server: response.length });
    expect(c!.start).toBe('2023-11-14T22:13:20.000000Z');
    expect(c!.end).toBe('2023-11-14T22:13:20.001750Z');
    expect(c!.durationMs).toBeCloseTo(1.75, 9);
    expect(c!.firstFin).toEqual({ side: 'server', time: '2023-11-14T22:13:20.001250Z', capture: 0, packet: 6 });
  });

  it('keeps interleaved connections apart and orders them by first packet', async () => {
    const a = conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', stepMicros: 2000 });
    const b = conversation({ client: '[2001:db8::1]:40001', server: '[2001:db8::2]:80', stepMicros: 2000, offsetMicros: 1000 });
    a.handshake().fin('client');
    b.handshake().fin('server');
    const report = await analyze(pcapOf(a, b));
    expect(report.connections.map((c) => [c.client, c.closedBy])).toEqual([
      ['10.0.0.1:40000', 'client'],
      ['[2001:db8::1]:40001', 'server'],
    ]);
    expect(report.summary).toMatchObject({ connections: 2, handshakes: 2, closedBy: { client: 1, server: 1 }, open: 0 });
  });

  it('VLAN tags are not part of the key unless asked', async () => {
    const talk = conversation(endpoints);
    talk.send('client', 'SYN', { vlan: 42 }).send('server', 'SYN,ACK', { vlan: 42 }).send('client', 'ACK');
    expect(await connectionsOf(talk)).toHaveLength(1);
    expect(await connectionsOf(talk, { vlanAware: true })).toHaveLength(2);
  });
});
