/** TLS hellos on a connection, built byte by byte: handshakes, server name, resumption. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { TlsReport } from '../../src/report/model.js';
import { conversation, type Conversation } from '../helpers/conversation.js';
import { concat } from '../helpers/packet-builder.js';
import {
  applicationData,
  certificate,
  changeCipherSpec,
  clientHello,
  handshakeRecord,
  record,
  serverHello,
  serverHelloDone,
  sessionId,
} from '../helpers/tls-builder.js';

function talk(): Conversation {
  return conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:443' }).handshake();
}

async function tlsOf(t: Conversation): Promise<TlsReport | null> {
  const report = await analyze(t.pcap());
  expect(report.connections).toHaveLength(1);
  expect(report.connections[0]!.requests).toBeNull();
  return report.connections[0]!.tls;
}

describe('TLS handshakes', () => {
  it('TLS 1.2 full handshake: a Certificate follows ServerHello', async () => {
    const t = talk()
      .data('client', handshakeRecord(clientHello({ sni: 'example.org' })))
      .data('server', handshakeRecord(serverHello({ sessionId: sessionId(5) }), certificate(), serverHelloDone()))
      .data('client', changeCipherSpec())
      .data('server', changeCipherSpec())
      .data('client', applicationData(100));
    expect(await tlsOf(t)).toEqual({ handshakes: 1, sni: 'example.org', resumed: false });
  });

  it('TLS 1.2 resumption: the server echoes the session id', async () => {
    const t = talk()
      .data('client', handshakeRecord(clientHello({ sni: 'a.test', sessionId: sessionId(3) })))
      .data('server', concat(handshakeRecord(serverHello({ sessionId: sessionId(3) })), changeCipherSpec()));
    expect(await tlsOf(t)).toEqual({ handshakes: 1, sni: 'a.test', resumed: true });
  });

  it('TLS 1.2 ticket resumption without an echoed id: ChangeCipherSpec comes before any Certificate', async () => {
    const t = talk()
      .data('client', handshakeRecord(clientHello({ sni: 'ticket.test' })))
      .data('server', handshakeRecord(serverHello()))
      .data('server', changeCipherSpec());
    expect(await tlsOf(t)).toMatchObject({ resumed: true });
  });

  it('TLS 1.3: an echoed legacy session id is not resumption, an accepted PSK is', async () => {
    const full = talk()
      .data('client', handshakeRecord(clientHello({ sni: 'one.test', sessionId: sessionId(1) })))
      .data('server', concat(handshakeRecord(serverHello({ sessionId: sessionId(1), tls13: true })), changeCipherSpec(), applicationData(900)));
    expect(await tlsOf(full)).toEqual({ handshakes: 1, sni: 'one.test', resumed: false });

    const resumed = talk()
      .data('client', handshakeRecord(clientHello({ sni: 'one.test', sessionId: sessionId(2) })))
      .data('server', concat(handshakeRecord(serverHello({ sessionId: sessionId(2), tls13: true, psk: true })), changeCipherSpec()));
    expect(await tlsOf(resumed)).toEqual({ handshakes: 1, sni: 'one.test', resumed: true });
  });

  it('a HelloRetryRequest does not count as a second handshake', async () => {
    const t = talk()
      .data('client', handshakeRecord(clientHello({ sni: 'retry.test' })))
      .data('server', concat(handshakeRecord(serverHello({ retry: true, tls13: true })), changeCipherSpec()))
      .data('client', concat(changeCipherSpec(), handshakeRecord(clientHello({ sni: 'retry.test' }))))
      .data('server', handshakeRecord(serverHello({ tls13: true })));
    expect(await tlsOf(t)).toEqual({ handshakes: 1, sni: 'retry.test', resumed: false });
  });

  it('a ClientHello split over two records and three segments', async () => {
    const hello = clientHello({ sni: 'split.example', padding: 600 });
    const records = concat(record(22, hello.subarray(0, 300)), record(22, hello.subarray(300)));
    const t = talk();
    for (const [start, end] of [[0, 4], [4, 200], [200, records.length]] as const) t.data('client', records.subarray(start, end));
    t.data('server', handshakeRecord(serverHello(), certificate()));
    expect(await tlsOf(t)).toEqual({ handshakes: 1, sni: 'split.example', resumed: false });
  });

  it('bytes that only start like TLS are not a handshake', async () => {
    const t = talk().data('client', Uint8Array.of(0x16, 0x09, 0x09, 0, 4, 1, 2, 3, 4));
    expect(await tlsOf(t)).toBeNull();
  });
});
