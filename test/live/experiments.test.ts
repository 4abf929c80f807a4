/**
 * The three experiments behind synfin, with real loopback traffic captured by `synfin run` and
 * captureDuring(): (1) HTTP/1.0 against python3 -m http.server, one connection per request and
 * the server closing; (2) a keep-alive agent: three requests, one handshake; (3) the same agent
 * with response bodies left unread: a new connection per request. Ports are chosen at run time
 * (the servers bind port 0). Needs tcpdump or dumpcap and root/CAP_NET_RAW, else skipped with
 * the reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import '../../src/vitest.js';
import { analyze } from '../../src/analyze.js';
import { captureDuring } from '../../src/live/capture-during.js';
import type { Report } from '../../src/report/model.js';
import { captureAvailability, captureProcessesFor, startPythonHttpServer } from '../helpers/live.js';
import { runCli } from '../helpers/run-cli.js';
import { haveCommand } from '../helpers/tools.js';

const availability = await captureAvailability();
if (!availability.ok) console.warn(`live capture tests skipped: ${availability.reason}`);
const live = availability.ok ? describe : describe.skip;
const title = (name: string) => (availability.ok ? name : `${name} (skipped: ${availability.reason})`);

const haveTshark = (): boolean => haveCommand('tshark');

const work = mkdtempSync(join(tmpdir(), 'synfin-experiments-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** tshark's reading of a capture: for each TCP stream, the port of the side that sent the first FIN. */
function firstFinPortsByTshark(file: string): Map<number, number> {
  const out = execFileSync('tshark', ['-r', file, '-Y', 'tcp.flags.fin == 1', '-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.srcport'], { encoding: 'utf8' });
  const first = new Map<number, number>();
  for (const line of out.trim().split('\n').filter(Boolean)) {
    const [stream, port] = line.split('\t').map(Number) as [number, number];
    if (!first.has(stream)) first.set(stream, port);
  }
  return first;
}

/** Node client: `count` GETs in a row through `agent`, reading each body or leaving it unread. */
async function getMany(port: number, agent: http.Agent, count: number, consume: boolean): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await new Promise<void>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path: `/request-${i}`, agent, timeout: 5000 }, (response) => {
        if (!consume) {
          resolve(); // headers are in; the body stays unread, so the socket is never free again
          return;
        }
        response.resume();
        response.on('end', resolve);
        response.on('error', reject);
      });
      request.on('timeout', () => request.destroy(new Error('request timed out')));
      request.on('error', reject);
    });
  }
}

/** A keep-alive HTTP/1.1 server on 127.0.0.1, on a port it was given by the kernel. */
async function keepAliveServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end(`reply to ${request.url}\n`));
  });
  server.keepAliveTimeout = 30_000; // longer than the test: the server never closes an idle socket first
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

live(title('experiment 1: three HTTP/1.0 requests to python3 -m http.server, captured by synfin run'), () => {
  it('three handshakes; each connection closed by whoever sent the first FIN, as the capture shows', async () => {
    const www = join(work, 'www');
    execFileSync('mkdir', ['-p', www]);
    writeFileSync(join(www, 'hello.txt'), 'hello from synfin\n');
    const server = await startPythonHttpServer(www);
    const kept = join(work, 'http10.pcap');
    let result;
    try {
      const client = [
        'import sys, urllib.request',
        'for i in range(3):',
        "    urllib.request.urlopen(f'http://127.0.0.1:{sys.argv[1]}/hello.txt', timeout=5).read()",
      ].join('\n');
      result = await runCli(
        ['run', '--port', String(server.port), '--keep', kept, '--json', '-e', 'handshakes=3', '-e', 'connections=3', '-e', 'open=0',
          '--', 'python3', '-c', client, String(server.port)],
        { env: process.env as Record<string, string> },
      );
    } finally {
      await server.stop();
    }
    expect(result.stderr).toContain('all 3 expectations hold');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.captures[0]!.warnings).toEqual([]); // no kernel drops
    expect(report).toHaveConnections(3);
    expect(report).toHaveHandshakes(3);
    expect(report).not.toReuseConnections();
    // HTTP/1.0: the server ends every response with its FIN, unless the client's close raced it.
    for (const connection of report.connections) {
      expect(connection.closedWith).toBe('fin');
      expect(connection.closedBy).toBe(connection.firstFin!.side);
      expect(connection.server).toBe(`127.0.0.1:${server.port}`);
    }
    const serverFirst = report.connections.filter((c) => c.closedBy === 'server').length;
    expect(report).toBeClosedBy('server', { with: 'fin', count: serverFirst });
    // The kept file judged again, against the count the first run found.
    const again = await runCli([kept, '--port', String(server.port), '-e', `closed-by.server=${serverFirst}`, '-e', `closed-by.client=${3 - serverFirst}`]);
    expect(again.code).toBe(0);
    const wrong = await runCli([kept, '--port', String(server.port), '-e', `closed-by.server=${serverFirst + 1}`]);
    expect(wrong.code).toBe(1);
    // Too few: the line names the connections the client closed (or, if there are none, the server's).
    const named = serverFirst < 3 ? report.connections.filter((c) => c.closedBy !== 'server') : report.connections;
    const label = serverFirst < 3 ? 'not closed-by.server' : 'closed-by.server';
    expect(wrong.stderr).toBe(
      `synfin: expected closed-by.server=${serverFirst + 1}, actual ${serverFirst}; connections ${label}: ` +
        `${named.map((c) => `#${c.id} ${c.client} → ${c.server} (handshake complete, closed by ${c.closedBy} FIN${c.simultaneousClose ? ' (simultaneous)' : ''})`).join('; ')}\n`,
    );
    expect(captureProcessesFor(server.port)).toEqual([]);
  });

  it.skipIf(!haveTshark())('synfin and tshark agree, connection by connection, on who sent the first FIN', async () => {
    const kept = join(work, 'http10.pcap');
    const report = await analyze(kept);
    const truth = firstFinPortsByTshark(kept);
    expect(truth.size).toBe(3);
    report.connections.forEach((connection, stream) => {
      const finPort = truth.get(stream);
      const serverPort = Number(connection.server.split(':').pop());
      expect(connection.firstFin!.side).toBe(finPort === serverPort ? 'server' : 'client');
    });
  });
});

live(title('experiment 2: a keep-alive agent against a keep-alive server, captured by captureDuring'), () => {
  it('three requests ride one connection: one handshake', async () => {
    const server = await keepAliveServer();
    try {
      const report = await captureDuring({ port: server.port }, async () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        await getMany(server.port, agent, 3, true);
        agent.destroy();
      });
      expect(report.captures[0]!.warnings).toEqual([]);
      expect(report).toHaveConnections(1);
      expect(report).toHaveHandshakes(1);
      expect(report).toReuseConnections();
      expect(report.connections[0]!.dataBursts).toEqual({ client: 3, server: 3 });
      expect(report).toBeClosedBy('client', { with: 'fin' });
      expect(report.captures[0]!.skipped.filteredOut).toBe(0);
    } finally {
      await server.close();
    }
    expect(captureProcessesFor(server.port)).toEqual([]);
  });
});

live(title('experiment 3: the same agent, response bodies left unread, captured by captureDuring'), () => {
  it('a new connection per request', async () => {
    const server = await keepAliveServer();
    try {
      const agent = new http.Agent({ keepAlive: true });
      const report = await captureDuring({ port: server.port }, async () => {
        await getMany(server.port, agent, 3, false);
        agent.destroy();
      });
      expect(report.captures[0]!.warnings).toEqual([]);
      expect(report).toHaveConnections(3);
      expect(report).toHaveHandshakes(3);
      expect(report).not.toReuseConnections();
      for (const connection of report.connections) expect(connection.dataBursts.client).toBe(1);
    } finally {
      await server.close();
    }
  });
});
