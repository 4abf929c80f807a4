import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTracked } from '../../src/analyze.js';
import { buildReport } from '../../src/report/build.js';
import { renderTable } from '../../src/report/table.js';
import { renderTableChunks } from '../../src/report/table-stream.js';
import { connectionsOfEveryEnding, pcapOf } from '../helpers/conversation.js';
import { repoRoot } from '../helpers/shared-captures.js';

const fixtures = readdirSync(join(repoRoot, 'fixtures')).filter((name) => /\.pcap(ng)?$/.test(name));

async function both(input: string | Uint8Array, release: boolean): Promise<{ whole: string; chunks: Buffer[] }> {
  const analysis = await analyzeTracked(input);
  const whole = renderTable(buildReport(analysis.captures, analysis.connections, analysis.filter, analysis.insight));
  const chunks: Buffer[] = [];
  const stream = renderTableChunks(analysis);
  for (let step = stream.next(); step.done !== true; step = stream.next(release)) chunks.push(Buffer.from(step.value));
  return { whole, chunks };
}

describe('renderTableChunks', () => {
  it.each(fixtures)('joins to the same text as renderTable on fixtures/%s', async (name) => {
    const { whole, chunks } = await both(join(repoRoot, 'fixtures', name), false);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole);
  });

  it('joins to the same text across several chunks, each released once read (5,000 connections)', async () => {
    const { whole, chunks } = await both(connectionsOfEveryEnding(5000), true);
    expect(chunks.length).toBeGreaterThan(2);
    const text = Buffer.concat(chunks).toString('utf8');
    expect(text).toBe(whole);
    // The IPv6 client near the end widened the client column of every row.
    expect(text).toContain('[2001:db8:ffff:ffff::1234]:65000');
    expect(new Set(text.split('\n').filter((line) => line.startsWith('│')).map((line) => line.length)).size).toBe(1);
  });

  it('an empty capture: the summary line alone', async () => {
    const { whole, chunks } = await both(pcapOf(), false);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(whole);
    expect(whole).toBe('0 connections · 0 handshakes · closed by server 0, client 0 · 0 open\n');
  });
});
