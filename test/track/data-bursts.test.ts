import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { conversation, type Conversation } from '../helpers/conversation.js';

const endpoints = { client: '10.0.0.1:40000', server: '10.0.0.2:80' };

async function burstsOf(script: (t: Conversation) => unknown): Promise<{ client: number; server: number }> {
  const talk = conversation(endpoints);
  script(talk);
  const report = await analyze(talk.pcap());
  expect(report.connections).toHaveLength(1);
  return report.connections[0]!.dataBursts;
}

describe('data bursts: runs of payload from one side ended by the other side’s payload', () => {
  it('no payload: no bursts', async () => {
    expect(await burstsOf((t) => t.handshake().fin('client').fin('server').ack('client'))).toEqual({ client: 0, server: 0 });
  });

  it('one request and one response, each in several segments', async () => {
    const bursts = await burstsOf((t) =>
      t.handshake().data('client', 'GET / HT').data('client', 'TP/1.1\r\n\r\n').ack('server')
        .data('server', 'HTTP/1.1 200 OK\r\n').ack('client').data('server', 'Content-Length: 0\r\n\r\n').fin('server'));
    expect(bursts).toEqual({ client: 1, server: 1 });
  });

  it('three exchanges on one connection', async () => {
    const bursts = await burstsOf((t) => {
      t.handshake();
      for (let i = 0; i < 3; i++) t.data('client', `request ${i}`).data('server', `response ${i}`);
      t.fin('client');
    });
    expect(bursts).toEqual({ client: 3, server: 3 });
  });

  it('a retransmitted request after the response does not start a burst', async () => {
    const bursts = await burstsOf((t) =>
      t.handshake().data('client', 'request').data('server', 'response').send('client', 'PSH,ACK', { payload: 'request', seq: 1001 }));
    expect(bursts).toEqual({ client: 1, server: 1 });
  });
});
