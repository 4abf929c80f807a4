/**
 * Golden pictures: the CLI's --ladder and --timeline output on the loopback fixtures and on
 * scripted conversations, compared with test/views/__golden__/*.txt. Times are relative and the
 * output is not a terminal, so the files are deterministic and free of colour codes.
 * After an intended change: `npx vitest run test/views/golden.test.ts -u`, then read the diff.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversation, pcapOf } from '../helpers/conversation.js';
import { runCli } from '../helpers/run-cli.js';
import { haveSharedCaptures, repoRoot, sharedFiles } from '../helpers/shared-captures.js';

const fixtures = join(repoRoot, 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'synfin-views-'));

function scripted(name: string, bytes: Uint8Array): string {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
}

const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: example\r\n\r\n`;
const response = 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello';

/** Began before the capture: no SYN, roles from the lower port. */
const midStream = scripted(
  'mid-stream.pcap',
  conversation({ client: '192.168.1.20:51000', server: '192.168.1.1:80', stepMicros: 2500 })
    .data('client', request('/late')).ack('server').data('server', response).ack('client')
    .data('client', request('/again')).data('server', response).fin('server').fin('client').ack('server')
    .pcap(),
);

/** A bulk download with a lost segment resent, a resent FIN, and a client RST at the end. */
const bulk = (() => {
  const head = 'HTTP/1.1 200 OK\r\nContent-Length: 11200\r\n\r\n';
  const talk = conversation({ client: '10.1.0.5:40100', server: '10.1.0.9:8080', stepMicros: 700 })
    .handshake().data('client', request('/big.bin')).data('server', head);
  for (let i = 0; i < 8; i++) talk.data('server', 'x'.repeat(1400)).ack('client');
  // The server's ISN is 5000 (the conversation default); its SYN takes one sequence number.
  const body = 5001 + head.length;
  talk.send('server', 'PSH,ACK', { payload: 'x'.repeat(1400), seq: body + 1400 * 7 });
  talk.ack('client').fin('server').send('server', 'FIN,ACK', { seq: body + 1400 * 8 }).rst('client', true);
  return scripted('bulk-retransmit.pcap', talk.pcap());
})();

/** A keep-alive connection with 100 requests: more lines than a ladder keeps (head, gap, tail). */
const longKeepAlive = (() => {
  const talk = conversation({ client: '10.2.0.7:45000', server: '10.2.0.1:80', stepMicros: 150 }).handshake();
  for (let i = 0; i < 100; i++) talk.data('client', request(`/item/${i}`)).data('server', response);
  talk.fin('client').fin('server').ack('client');
  return scripted('long-keepalive.pcap', talk.pcap());
})();

/** Many short connections, one per request, interleaved in time. */
const manyShort = scripted('many-short.pcap', pcapOf(
  ...Array.from({ length: 12 }, (_, i) =>
    conversation({ client: `10.3.0.2:${41000 + i}`, server: '10.3.0.1:8080', offsetMicros: i * 4000, stepMicros: 300 })
      .handshake().data('client', request(`/${i}`)).data('server', response)
      .fin(i % 3 === 0 ? 'client' : 'server').fin(i % 3 === 0 ? 'server' : 'client').ack(i % 3 === 0 ? 'client' : 'server')),
));

/** A SYN sent twice before the answer, then both sides close at once (FINs cross). */
const synAgainSimultaneous = scripted(
  'syn-again-simultaneous.pcap',
  conversation({ client: '[2001:db8::2]:50000', server: '[2001:db8::1]:443', stepMicros: 400_000 })
    .syn().syn({ seq: 1000 }).synAck().ack('client').data('client', 'hello').ack('server')
    .send('client', 'FIN,ACK').send('server', 'FIN,ACK', { ack: 1006 }).ack('client').ack('server')
    .pcap(),
);

interface Case {
  name: string;
  capture: string;
  args: string[];
  columns?: number;
  skip?: string;
}

const cases: Case[] = [
  { name: 'server-closes', capture: join(fixtures, 'server-closes.pcap'), args: ['--port', '8087', '--timeline', '--ladder', 'all', '--width', '80'] },
  { name: 'keepalive-reuse', capture: join(fixtures, 'keepalive-reuse.pcap'), args: ['--timeline', '--ladder', '1', '--width', '80'] },
  { name: 'keepalive-reuse-ipv6-ns', capture: join(fixtures, 'keepalive-reuse.pcapng'), args: ['--ladder', '1', '--width', '80'] },
  { name: 'refused', capture: join(fixtures, 'refused.pcap'), args: ['--timeline', '--ladder', 'all', '--width', '80'] },
  { name: 'rst-abort', capture: join(fixtures, 'rst-abort.pcap'), args: ['--timeline', '--ladder', '1', '--width', '80'] },
  { name: 'port-reuse', capture: join(fixtures, 'port-reuse.pcap'), args: ['--timeline', '--ladder', '1,2', '--width', '80'] },
  { name: 'mid-stream', capture: midStream, args: ['--timeline', '--ladder', '1', '--width', '80'] },
  {
    name: 'mid-stream-get-nosyn',
    capture: join(sharedFiles, 'get_nosyn.pcap'),
    args: ['--timeline', '--ladder', '1', '--width', '80'],
    ...(haveSharedCaptures ? {} : { skip: 'shared captures (../shared/captures) are not present' }),
  },
  { name: 'bulk-retransmit', capture: bulk, args: ['--timeline', '--ladder', '1', '--width', '80'] },
  { name: 'syn-again-simultaneous', capture: synAgainSimultaneous, args: ['--timeline', '--ladder', '1', '--width', '80'] },
  { name: 'long-keepalive', capture: longKeepAlive, args: ['--timeline', '--ladder', '1', '--width', '80'] },
  { name: 'many-short', capture: manyShort, args: ['--timeline', '--width', '100'] },
  // Width from the terminal (io.columns), narrow and wide.
  { name: 'server-closes-40-columns', capture: join(fixtures, 'server-closes.pcap'), args: ['--timeline', '--ladder', '1'], columns: 40 },
  { name: 'server-closes-120-columns', capture: join(fixtures, 'server-closes.pcap'), args: ['--timeline', '--ladder', '1'], columns: 120 },
  { name: 'bulk-retransmit-40-columns', capture: bulk, args: ['--ladder', '1'], columns: 40 },
  // Plain ASCII.
  { name: 'server-closes-ascii', capture: join(fixtures, 'server-closes.pcap'), args: ['--timeline', '--ladder', '1', '--ascii', '--width', '80'] },
  { name: 'keepalive-reuse-ascii-120', capture: join(fixtures, 'keepalive-reuse.pcap'), args: ['--timeline', '--ladder', '1', '--ascii'], columns: 120 },
  { name: 'rst-abort-ascii-40', capture: join(fixtures, 'rst-abort.pcap'), args: ['--timeline', '--ladder', '1', '--ascii', '--width', '40'] },
];

describe('golden ladder and timeline pictures', () => {
  for (const c of cases) {
    it.skipIf(c.skip !== undefined)(`${c.name}${c.skip ? ` (skipped: ${c.skip})` : ''}`, async () => {
      const result = await runCli([c.capture, ...c.args], c.columns !== undefined ? { columns: c.columns } : {});
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).not.toMatch(/\u001b\[/);
      const shown = [basename(c.capture), ...c.args].join(' ');
      const columns = c.columns !== undefined ? ` (terminal: ${c.columns} columns)` : '';
      await expect(`$ synfin ${shown}${columns}\n${result.stdout}`).toMatchFileSnapshot(`__golden__/${c.name}.txt`);
    });
  }
});
