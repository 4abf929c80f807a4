/**
 * HTTP/1.x requests per connection from conversations built byte by byte: the byte stream is
 * rebuilt in sequence order, so segmentation, retransmission, reordering, pipelining and bodies
 * (by length or chunked) never change the count, and a capture that lost header bytes says
 * "unknown" instead of guessing.
 */
import { fc, test as property } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { ConnectionReport, RequestsReport } from '../../src/report/model.js';
import { buildPcap } from '../helpers/capture-builder.js';
import { conversation, type Conversation } from '../helpers/conversation.js';

const endpoints = { client: '10.0.0.1:40000', server: '10.0.0.2:80' };
/** The client's first data byte: ISN 1000 + 1 (the conversation helper's default ISNs). */
const CLIENT_DATA = 1001;
const SERVER_DATA = 5001;

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: example\r\n${extra}\r\n`;
const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;

async function only(talk: Conversation): Promise<ConnectionReport> {
  const report = await analyze(talk.pcap());
  expect(report.connections).toHaveLength(1);
  return report.connections[0]!;
}

async function requestsOf(talk: Conversation): Promise<RequestsReport> {
  const requests = (await only(talk)).requests;
  expect(requests).not.toBeNull();
  return requests!;
}

function talk(): Conversation {
  return conversation(endpoints).handshake();
}

/** Sends `text` from the client as segments cut at `cuts` (offsets into text), in the given order. */
function sendPieces(t: Conversation, who: 'client' | 'server', text: string, cuts: number[], order?: number[]): Conversation {
  const base = who === 'client' ? CLIENT_DATA : SERVER_DATA;
  const bounds = [0, ...cuts, text.length];
  const pieces = bounds.slice(0, -1).map((start, i) => ({ start, text: text.slice(start, bounds[i + 1]) }));
  for (const index of order ?? pieces.map((_, i) => i)) {
    const piece = pieces[index]!;
    t.send(who, 'PSH,ACK', { payload: piece.text, seq: base + piece.start });
  }
  // Later segments continue after the whole text.
  t.restart(who, base + text.length);
  return t;
}

describe('requests from the client byte stream', () => {
  it('a request split across three segments is one request', async () => {
    const t = sendPieces(talk(), 'client', get('/split'), [5, 20]).data('server', ok('hi')).fin('client').fin('server');
    const requests = await requestsOf(t);
    expect(requests).toMatchObject({ count: 1, known: true, lines: ['GET /split HTTP/1.1'], responses: 1, statuses: [200] });
  });

  it('a retransmitted segment is counted once', async () => {
    const text = get('/a') + get('/b');
    const t = talk();
    t.send('client', 'PSH,ACK', { payload: get('/a'), seq: CLIENT_DATA });
    t.send('client', 'PSH,ACK', { payload: get('/a'), seq: CLIENT_DATA }); // the same bytes again
    t.send('client', 'PSH,ACK', { payload: text, seq: CLIENT_DATA }); // a retransmission that also carries new bytes
    t.send('client', 'PSH,ACK', { payload: get('/a'), seq: CLIENT_DATA }); // a late copy, after newer bytes
    t.restart('client', CLIENT_DATA + text.length);
    t.data('client', get('/c'));
    t.data('server', ok('1') + ok('2') + ok('3')).fin('client').fin('server');
    const requests = await requestsOf(t);
    expect(requests).toMatchObject({ count: 3, known: true, lines: ['GET /a HTTP/1.1', 'GET /b HTTP/1.1', 'GET /c HTTP/1.1'], responses: 3 });
  });

  it('out-of-order segments are put back in sequence order', async () => {
    const text = get('/one') + get('/two');
    const t = sendPieces(talk(), 'client', text, [10, 30, 50], [2, 0, 3, 1]).data('server', ok('a') + ok('b'));
    const requests = await requestsOf(t);
    expect(requests.count).toBe(2);
    expect(requests.lines).toEqual(['GET /one HTTP/1.1', 'GET /two HTTP/1.1']);
    expect(requests.known).toBe(true);
  });

  it('pipelined requests in one segment and their responses in another', async () => {
    const t = talk().data('client', get('/1') + get('/2') + get('/3')).data('server', ok('x') + ok('yy') + ok('zzz'));
    const requests = await requestsOf(t);
    expect(requests).toMatchObject({ count: 3, responses: 3, statuses: [200, 200, 200], known: true });
  });

  it('keeps only the first five request lines and statuses', async () => {
    const paths = ['/1', '/2', '/3', '/4', '/5', '/6', '/7'];
    const t = talk();
    for (const path of paths) t.data('client', get(path)).data('server', ok(path));
    const requests = await requestsOf(t);
    expect(requests.count).toBe(7);
    expect(requests.responses).toBe(7);
    expect(requests.lines).toEqual(paths.slice(0, 5).map((p) => `GET ${p} HTTP/1.1`));
    expect(requests.statuses).toHaveLength(5);
  });

  it('request bodies by Content-Length are skipped, even when they look like requests', async () => {
    const body = get('/inside-a-body');
    const post = `POST /upload HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const t = talk().data('client', post + get('/after')).data('server', ok('') + ok(''));
    const requests = await requestsOf(t);
    expect(requests.lines).toEqual(['POST /upload HTTP/1.1', 'GET /after HTTP/1.1']);
  });

  it('chunked bodies are framed by their chunk sizes, in both directions', async () => {
    const fake = 'HTTP/1.1 200 OK\r\n\r\n';
    const chunked = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${fake.length.toString(16)};ext=1\r\n${fake}\r\n3\r\nabc\r\n0\r\nTrailer: x\r\n\r\n`;
    const upload = `POST /up HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\nA\r\nGET / HTTP\r\n0\r\n\r\n`;
    // The chunked response is split mid chunk-size and mid chunk-data.
    const responses = chunked + ok('second');
    const t = talk().data('client', upload + get('/next'));
    sendPieces(t, 'server', responses, [50, 52, 70, 90]);
    const requests = await requestsOf(t);
    expect(requests).toMatchObject({ count: 2, responses: 2, statuses: [200, 200], known: true });
    expect(requests.lines).toEqual(['POST /up HTTP/1.1', 'GET /next HTTP/1.1']);
  });

  it('responses to HEAD, and 1xx, 204, 304 responses have no body', async () => {
    const t = talk()
      .data('client', 'HEAD /h HTTP/1.1\r\n\r\n' + get('/nc') + get('/nm') + 'POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok')
      .data('server', 'HTTP/1.1 200 OK\r\nContent-Length: 999\r\n\r\n')
      .data('server', 'HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n')
      .data('server', 'HTTP/1.1 304 Not Modified\r\n\r\n')
      .data('server', 'HTTP/1.1 100 Continue\r\n\r\n')
      .data('server', ok('done'));
    const requests = await requestsOf(t);
    expect(requests).toMatchObject({ count: 4, responses: 5, statuses: [200, 204, 304, 100, 200], known: true });
  });

  it('a response without a length runs to the close', async () => {
    const t = talk()
      .data('client', get('/stream'))
      .data('server', 'HTTP/1.0 200 OK\r\n\r\nHTTP/1.1 200 looks like a response but is body')
      .fin('server');
    const requests = await requestsOf(t);
    expect(requests).toMatchObject({ count: 1, responses: 1, known: true, closeRequestedBy: 'server' });
    expect(requests.closeSignals).toEqual({ client: null, server: 'http/1.0' });
  });

  it('who asked to close: Connection: close from the client, or from the server, or HTTP/1.0', async () => {
    const clientClose = await requestsOf(talk().data('client', get('/', 'Connection: close\r\n')).data('server', ok('a', 'Connection: close\r\n')));
    expect(clientClose.closeRequestedBy).toBe('client');
    expect(clientClose.closeSignals).toEqual({ client: 'connection-close', server: 'connection-close' });

    const serverClose = await requestsOf(talk().data('client', get('/') + get('/again')).data('server', ok('a', 'Connection: close\r\n')));
    expect(serverClose.closeRequestedBy).toBe('server');

    const keepAlive10 = await requestsOf(
      talk().data('client', 'GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n').data('server', 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'),
    );
    expect(keepAlive10).toMatchObject({ closeRequestedBy: null, httpVersion: 'HTTP/1.0' });

    const plain10 = await requestsOf(talk().data('client', 'GET / HTTP/1.0\r\n\r\n').data('server', ok('x')));
    expect(plain10).toMatchObject({ closeRequestedBy: 'client', closeSignals: { client: 'http/1.0', server: null } });
  });

  it('a connection that carries something else has no requests', async () => {
    const ssh = await only(talk().data('server', 'SSH-2.0-OpenSSH_9.6\r\n').data('client', 'SSH-2.0-client\r\n'));
    expect(ssh.requests).toBeNull();
    const smtp = await only(talk().data('client', 'EHLO mail.example\r\n'));
    expect(smtp.requests).toBeNull();
    const binary = await only(talk().data('client', Uint8Array.of(0x47, 0x00, 0x01, 0x02)));
    expect(binary.requests).toBeNull();
    const http2 = await only(talk().data('client', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
    expect(http2.requests).toBeNull();
  });

  it('an HTTP request to a server that answers in another protocol still counts the request', async () => {
    const c = await only(talk().data('client', get('/')).data('server', 'SSH-2.0-OpenSSH\r\n'));
    expect(c.requests).toMatchObject({ count: 1, responses: 0, known: true });
  });
});

describe('where HTTP/1.x stops', () => {
  it('after 101 Switching Protocols both directions are another protocol', async () => {
    const upgrade = get('/chat', 'Upgrade: websocket\r\nConnection: Upgrade\r\n');
    const t = talk()
      .data('client', upgrade)
      .data('server', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n')
      .data('client', Uint8Array.of(0x81, 0x85, 1, 2, 3, 4, 5, 6, 7, 8, 9))
      .data('server', Uint8Array.of(0x81, 0x02, 0x68, 0x69));
    expect(await requestsOf(t)).toMatchObject({ count: 1, responses: 1, statuses: [101], known: true });
  });

  it('CONNECT opens a tunnel', async () => {
    const t = talk()
      .data('client', 'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n')
      .data('server', 'HTTP/1.1 200 Connection Established\r\n\r\n')
      .data('client', Uint8Array.of(0x16, 3, 1, 0, 1, 1))
      .data('server', Uint8Array.of(0x16, 3, 3, 0, 1, 2));
    expect(await requestsOf(t)).toMatchObject({ count: 1, responses: 1, lines: ['CONNECT example.org:443 HTTP/1.1'], known: true });
  });
});

describe('what was not captured is "unknown", never guessed', () => {
  /** The pcap of `t` with frame `index` cut to keep only `keep` bytes of its TCP payload. */
  function cutFrame(t: Conversation, index: number, payloadLength: number, keep: number): Uint8Array {
    return buildPcap({
      records: t.frames.map((frame, i) => {
        if (i !== index) return { seconds: frame.seconds, fraction: frame.fraction, data: frame.data };
        const cut = frame.data.length - payloadLength + keep;
        return { seconds: frame.seconds, fraction: frame.fraction, data: frame.data.subarray(0, cut), originalLength: frame.data.length };
      }),
    });
  }

  it('a snaplen that cuts a request header: known is false', async () => {
    const request = get('/a-long-path-that-the-snaplen-cuts');
    const t = talk().data('client', request).data('server', ok('x')).data('client', get('/b')).data('server', ok('y'));
    const report = await analyze(cutFrame(t, 3, request.length, 10));
    expect(report.connections[0]!.requests).toMatchObject({ known: false, responses: 2 });
    expect(report.verdicts[0]).toMatchObject({ reason: 'unknown', reused: false });
  });

  it('a snaplen that cuts only a response body: the body is skipped by length, counts stay known', async () => {
    const body = 'x'.repeat(600);
    const t = talk().data('client', get('/big') + get('/next')).data('server', ok(body) + ok('small'));
    const response = ok(body) + ok('small');
    // Keep the first response's head and part of its body; the cut ends inside that body.
    const report = await analyze(cutFrame(t, 4, response.length, 100));
    // The second response's head was cut too: the responses cannot all be known.
    expect(report.connections[0]!.requests).toMatchObject({ count: 2, responses: 1, known: false });

    const separate = talk().data('client', get('/big')).data('server', ok(body)).data('client', get('/next')).data('server', ok('small'));
    const cutBodyOnly = await analyze(cutFrame(separate, 4, ok(body).length, 100));
    expect(cutBodyOnly.connections[0]!.requests).toMatchObject({ count: 2, responses: 2, known: true });
  });

  it('a segment never captured inside headers: known is false; inside a body: skipped', async () => {
    const first = get('/1');
    const second = get('/2');
    const t = talk();
    t.send('client', 'PSH,ACK', { payload: first, seq: CLIENT_DATA });
    // `second` is lost from the capture; the third request follows it.
    t.send('client', 'PSH,ACK', { payload: get('/3'), seq: CLIENT_DATA + first.length + second.length });
    const lost = await requestsOf(t);
    expect(lost).toMatchObject({ count: 1, known: false });

    const body = 'b'.repeat(100);
    const post = `POST /u HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n`;
    const u = talk();
    u.send('client', 'PSH,ACK', { payload: post + body.slice(0, 20), seq: CLIENT_DATA });
    u.send('client', 'PSH,ACK', { payload: body.slice(60) + get('/after'), seq: CLIENT_DATA + post.length + 60 });
    const skipped = await requestsOf(u);
    expect(skipped).toMatchObject({ count: 2, known: true, lines: ['POST /u HTTP/1.1', 'GET /after HTTP/1.1'] });
  });

  it('out-of-order bytes are held only up to a limit; a hole inside a body is then skipped', async () => {
    const bodyLength = 200 * 1024;
    const post = `POST /big HTTP/1.1\r\nContent-Length: ${bodyLength}\r\n\r\n`;
    const t = talk();
    t.send('client', 'PSH,ACK', { payload: post, seq: CLIENT_DATA });
    // The first 1000 body bytes are never captured; 150 KiB after them arrive, more than is held.
    const segment = 'y'.repeat(1000);
    let offset = 1000;
    while (offset < bodyLength) {
      const length = Math.min(segment.length, bodyLength - offset);
      t.send('client', 'PSH,ACK', { payload: segment.slice(0, length), seq: CLIENT_DATA + post.length + offset });
      offset += length;
    }
    t.send('client', 'PSH,ACK', { payload: get('/after'), seq: CLIENT_DATA + post.length + bodyLength });
    expect(await requestsOf(t)).toMatchObject({ count: 2, known: true, lines: ['POST /big HTTP/1.1', 'GET /after HTTP/1.1'] });
  });

  it('a capture that begins mid-connection: known is false', async () => {
    const t = conversation(endpoints).data('client', get('/mid')).data('server', ok('x'));
    const requests = await requestsOf(t);
    expect(requests).toMatchObject({ count: 1, known: false });
  });

  it('headers longer than the 8 KiB window: known is false', async () => {
    const big = get('/', `X-Big: ${'a'.repeat(9000)}\r\n`);
    const t = talk().data('client', get('/first')).data('client', big);
    expect(await requestsOf(t)).toMatchObject({ count: 1, known: false });
  });
});

describe('any segmentation gives the same answer', () => {
  const stream = get('/a') + `POST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello` + get('/c', 'Connection: close\r\n');
  const responses = ok('one') + `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n` + ok('three', 'Connection: close\r\n');

  property.prop([
    fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 8 }),
    fc.uniqueArray(fc.integer({ min: 1, max: responses.length - 1 }), { maxLength: 8 }),
    fc.boolean(),
  ], { numRuns: 40 })('cut anywhere, reordered or repeated', async (clientCuts, serverCuts, shuffle) => {
    const t = talk();
    const cuts = [...clientCuts].sort((a, b) => a - b);
    const count = cuts.length + 1;
    const order = [...Array(count).keys()];
    if (shuffle) order.reverse();
    sendPieces(t, 'client', stream, cuts, order);
    if (shuffle) t.send('client', 'PSH,ACK', { payload: stream.slice(0, cuts[0] ?? stream.length), seq: CLIENT_DATA });
    sendPieces(t, 'server', responses, [...serverCuts].sort((a, b) => a - b));
    const requests = await requestsOf(t.fin('server').fin('client'));
    expect(requests).toEqual({
      count: 3,
      known: true,
      lines: ['GET /a HTTP/1.1', 'POST /b HTTP/1.1', 'GET /c HTTP/1.1'],
      responses: 3,
      statuses: [200, 200, 200],
      closeRequestedBy: 'client',
      closeSignals: { client: 'connection-close', server: 'connection-close' },
      httpVersion: 'HTTP/1.1',
    });
  });
});

describe('a head read in place from one segment and one gathered from pieces agree', () => {
  // Header fields whose values take the in-place reading and the general one: blanks, repeats,
  // lists, leading zeros, disagreement, case, chunked coding, HTTP/1.0 with and without keep-alive.
  const field = fc.constantFrom(
    'Content-Length: 3', 'Content-Length:3 ', 'content-length:\t003', 'Content-Length: 3, 3', 'Content-Length: 3\r\nContent-Length: 3',
    'Content-Length: 3\r\nContent-Length: 03', 'Content-Length: 4', 'Content-Length: x', 'Content-Length:', 'Content-Length: 1234567890123456',
    'Connection: close', 'CONNECTION: Keep-Alive', 'Connection: upgrade, close', 'Transfer-Encoding: chunked', 'Transfer-Encoding: gzip',
    'Content-Type: text/plain', 'Host: example', 'X-C: 1', 'c:', 'Tc: 2',
  );
  const message = fc.record({
    minor: fc.constantFrom(0, 1),
    fields: fc.array(field, { maxLength: 3 }),
    lineEnd: fc.constantFrom('\r\n', '\n'),
  });
  const head = (start: string, m: { minor: number; fields: string[]; lineEnd: string }): string =>
    [start.replace('%', String(m.minor)), ...m.fields].map((line) => line + m.lineEnd).join('') + m.lineEnd;

  property.prop([message, message, fc.uniqueArray(fc.integer({ min: 1, max: 120 }), { maxLength: 6 }), fc.boolean()], { numRuns: 60 })(
    'whole or cut anywhere, in order or reversed',
    async (request, response, cutsWanted, reverse) => {
      const client = head('GET /x HTTP/1.%', request) + 'abc' + get('/next');
      const server = head('HTTP/1.% 200 OK', response) + 'abc' + ok('');
      const whole = await requestsOf(sendPieces(talk(), 'client', client, []).data('server', server).fin('client').fin('server'));
      const cuts = [...new Set(cutsWanted.filter((c) => c < client.length))].sort((a, b) => a - b);
      const order = [...Array(cuts.length + 1).keys()];
      if (reverse) order.reverse();
      const t = sendPieces(talk(), 'client', client, cuts, order);
      const pieces = await requestsOf(sendPieces(t, 'server', server, cuts.filter((c) => c < server.length)).fin('client').fin('server'));
      expect(pieces).toEqual(whole);
    },
  );
});
