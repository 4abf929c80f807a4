/**
 * synfin's `state` and `history` against Zeek's own published conn.log answers for traces that
 * Zeek's test suite ships (and ../shared/captures holds):
 * - syn-then-rst.pcap: zeek testing/btest/Baseline/scripts.base.protocols.conn.conn_state-RST-behavior/out
 *   prints `SR, RSTOS0`;
 * - missing-syn.pcap: Zeek's conn.log line for it reads `... SF - - 0 ^hADdFaf 11 670 10 9945`
 *   (history, then originator and responder packet counts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { haveSharedCaptures, sharedFiles } from '../helpers/shared-captures.js';

const zeekAnswers = [
  { file: 'syn-then-rst.pcap', state: 'RSTOS0', history: 'SR' },
  { file: 'missing-syn.pcap', state: 'SF', history: '^hADdFaf', packets: { client: 11, server: 10 } },
];

describe.skipIf(!haveSharedCaptures)("agrees with Zeek's conn.log", () => {
  for (const answer of zeekAnswers) {
    it(`${answer.file}: ${answer.state} ${answer.history}`, async () => {
      const report = await analyze(join(sharedFiles, answer.file));
      expect(report.connections).toHaveLength(1);
      const [connection] = report.connections;
      expect(connection).toMatchObject({ state: answer.state, history: answer.history });
      if (answer.packets) expect(connection!.packets).toEqual(answer.packets);
    });
  }
});
