import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeTracked } from '../../src/analyze.js';
import { parseExpectation } from '../../src/assert/expectation.js';
import { expectationKeys } from '../../src/assert/keys.js';
import { judge, judgeTally, streamedTally } from '../../src/cli/expect.js';
import type { ProgramIo } from '../../src/cli/io.js';
import { buildReport } from '../../src/report/build.js';
import { renderJsonChunks, summarizeTracked } from '../../src/report/json-stream.js';
import type { ConnectionReport } from '../../src/report/model.js';
import { renderTableChunks } from '../../src/report/table-stream.js';
import { conversation, pcapOf, type Conversation } from '../helpers/conversation.js';
import { repoRoot } from '../helpers/shared-captures.js';

const fixtures = readdirSync(join(repoRoot, 'fixtures')).filter((name) => /\.pcap(ng)?$/.test(name));

function capturingIo(): { io: ProgramIo; lines: string[] } {
  const lines: string[] = [];
  const io = { stdout: () => {}, stderr: (text: string) => lines.push(text), stderrIsTty: false, stdoutIsTty: false, env: {} } as ProgramIo;
  return { io, lines };
}

/** For every key: one expectation that holds, and ones that fail too high and too low. */
function expectationsFor(report: { summary: { connections: number } }) {
  const n = report.summary.connections;
  return expectationKeys.flatMap((key) => [`${key.name}>=0`, `${key.name}=${n + 3}`, `${key.name}<=0`].map(parseExpectation));
}

/**
 * judge() on the whole report, and judgeTally() fed by the JSON and by the table renderers as
 * they write each connection: all three say the same.
 */
async function allSay(input: string | Uint8Array) {
  const analysis = await analyzeTracked(input);
  const report = buildReport(analysis.captures, analysis.connections, analysis.filter, analysis.insight);
  const expectations = expectationsFor(report);
  const whole = capturingIo();
  const wholeCode = judge(whole.io, report, expectations, false);
  const streamed = (render: typeof renderJsonChunks) => {
    const summarized = summarizeTracked(analysis);
    const tally = streamedTally(expectations)!;
    for (const chunk of render(analysis, summarized, (connection: ConnectionReport) => tally.add(connection))) expect(chunk.length).toBeGreaterThan(0);
    const said = capturingIo();
    return { code: judgeTally(said.io, tally, summarized.summary, false), lines: said.lines };
  };
  return { whole: { code: wholeCode, lines: whole.lines }, json: streamed(renderJsonChunks), table: streamed(renderTableChunks) };
}

describe('judgeTally on streamed output', () => {
  it.each(fixtures)('says what judge says on fixtures/%s', async (name) => {
    const { whole, json, table } = await allSay(join(repoRoot, 'fixtures', name));
    expect(json).toEqual(whole);
    expect(table).toEqual(whole);
    expect(whole.code).toBe(1);
  });

  it('says what judge says when more connections are involved than a line lists', async () => {
    const talks: Conversation[] = [];
    for (let i = 0; i < 40; i++) {
      const talk = conversation({ client: `10.0.0.${i + 1}:${40000 + i}`, server: '10.9.0.1:80', offsetMicros: i * 10 });
      if (i % 3 === 0) talk.syn().rst('server', true);
      else talk.handshake().data('client', 'GET / HTTP/1.1\r\n\r\n').data('client', 'GET /b HTTP/1.1\r\n\r\n').fin('client').fin('server').ack('client');
      talks.push(talk);
    }
    const { whole, json, table } = await allSay(pcapOf(...talks));
    expect(json).toEqual(whole);
    expect(table).toEqual(whole);
    expect(whole.lines.join('')).toMatch(/and \d+ more/);
  });

  it('has nothing to judge without expectations', () => {
    const said = capturingIo();
    expect(streamedTally([])).toBeUndefined();
    expect(judgeTally(said.io, undefined, { connections: 0 } as never, false)).toBe(0);
    expect(said.lines).toEqual([]);
  });
});
