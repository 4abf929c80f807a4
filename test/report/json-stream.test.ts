import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTracked } from '../../src/analyze.js';
import { buildReport } from '../../src/report/build.js';
import { renderJson } from '../../src/report/json.js';
import { renderJsonChunks, summarizeTracked } from '../../src/report/json-stream.js';
import { connectionsOfEveryEnding, conversation, pcapOf } from '../helpers/conversation.js';
import { repoRoot } from '../helpers/shared-captures.js';

const fixtures = readdirSync(join(repoRoot, 'fixtures')).filter((name) => /\.pcap(ng)?$/.test(name));

async function both(input: string | Uint8Array, options = {}): Promise<{ whole: string; chunks: string[] }> {
  const analysis = await analyzeTracked(input, options);
  const whole = renderJson(buildReport(analysis.captures, analysis.connections, analysis.filter, analysis.insight));
  const decoder = new TextDecoder();
  return { whole, chunks: [...renderJsonChunks(analysis)].map((chunk) => decoder.decode(chunk, { stream: true })) };
}

describe('renderJsonChunks', () => {
  it.each(fixtures)('joins to the same text as renderJson on fixtures/%s', async (name) => {
    const { whole, chunks } = await both(join(repoRoot, 'fixtures', name));
    expect(chunks.join('')).toBe(whole);
  });

  it('joins to the same text across several chunks (3,000 connections)', async () => {
    const { whole, chunks } = await both(connectionsOfEveryEnding(3000));
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(whole);
    expect(JSON.parse(chunks.join('')).connections).toHaveLength(3000);
  });

  it('gives the same text when each chunk is released for refilling once read', async () => {
    const analysis = await analyzeTracked(connectionsOfEveryEnding(3000));
    const whole = renderJson(buildReport(analysis.captures, analysis.connections, analysis.filter, analysis.insight));
    const read: Buffer[] = [];
    const chunks = renderJsonChunks(analysis);
    const buffers = new Set<ArrayBufferLike>();
    for (let step = chunks.next(); step.done !== true; step = chunks.next(true)) {
      read.push(Buffer.from(step.value));
      buffers.add(step.value.buffer);
    }
    expect(read.length).toBeGreaterThan(2);
    expect(buffers.size).toBeLessThan(read.length);
    expect(Buffer.concat(read).toString('utf8')).toBe(whole);
  });

  it('prints an empty connection list when a filter leaves nothing', async () => {
    const { whole, chunks } = await both(connectionsOfEveryEnding(3), { ports: [1] });
    expect(chunks.join('')).toBe(whole);
    expect(JSON.parse(chunks.join('')).connections).toEqual([]);
  });

  it('summarizes tracked connections as buildReport does', async () => {
    const analysis = await analyzeTracked(connectionsOfEveryEnding(40));
    const report = buildReport(analysis.captures, analysis.connections, analysis.filter, analysis.insight);
    const { summary, verdicts } = summarizeTracked(analysis);
    expect(summary).toEqual(report.summary);
    expect(verdicts).toEqual(report.verdicts);
    expect(report.summary.requests).toBeGreaterThan(0);
    expect(report.summary.closedWith.rst).toBeGreaterThan(0);
    expect(report.summary.open).toBeGreaterThan(0);
  });

  it('names each server right when servers take turns, past the servers it keeps formatted', async () => {
    // 4,500 IPv4 servers (more than the 4,096 kept), each seen twice, 50 connections apart,
    // each address on two ports, and IPv6 servers in between, by turns on two ports too.
    const servers: string[] = [];
    for (let i = 0; i < 4500; i++) servers.push(`10.8.${(i >> 9) & 255}.${(i >> 1) & 255}:${i % 2 === 0 ? 80 : 8080}`);
    const order: string[] = [];
    for (let i = 0; i < servers.length; i += 50) {
      const group = servers.slice(i, i + 50);
      const v6 = `[2001:db8::${(i % 7) + 1}]`;
      order.push(...group, ...group, `${v6}:443`, `${v6}:443`, `${v6}:80`, `[2001:db8::1]:${(i / 50) % 2 === 0 ? 443 : 80}`);
    }
    const talks = order.map((server, i) =>
      conversation({ client: server.startsWith('[') ? `[2001:db8:1::${i.toString(16)}]:40000` : `192.168.${i >> 8}.${i & 255}:40000`, server, offsetMicros: i * 10 }).handshake().data('client', 'GET / HTTP/1.1\r\n\r\n'),
    );
    const analysis = await analyzeTracked(pcapOf(...talks));
    const report = buildReport(analysis.captures, analysis.connections, analysis.filter, analysis.insight);
    expect(report.connections.map((connection) => connection.server)).toEqual(order);
    expect(report.verdicts.map((verdict) => verdict.server).sort()).toEqual([...new Set(order)].sort());
  });
});
