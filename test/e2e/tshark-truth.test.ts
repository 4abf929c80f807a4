/**
 * synfin against tshark's answer for every public sample capture (../shared/captures/truth).
 * Deliberate differences are listed in DIFFERENCES with the reason, and asserted as such,
 * so a change in either direction is noticed.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { ConnectionReport, Report } from '../../src/report/model.js';
import { haveSharedCaptures, readTruth, sharedFiles, truthFiles, type TruthConnection } from '../helpers/shared-captures.js';

/** Where synfin answers differently from tshark on purpose (also in the README). */
const DIFFERENCES: Record<string, { handshakes?: number; why: string }> = {
  'handshake-reorder.pcap': {
    handshakes: 1,
    why: 'SYN, SYN-ACK and the final ACK are all in the file but out of order; the handshake did happen, so synfin counts it (tshark requires file order)',
  },
};

/** Maps tshark's side names (client/server, or a/b when no handshake was seen) to our sides. */
function sideOf(truthSide: string, truth: TruthConnection, ours: ConnectionReport): string | null {
  if (truthSide === 'none' || truthSide === 'open') return null;
  if (truthSide === 'client' || truthSide === 'server') return truthSide;
  const endpoint = truthSide === 'a' ? truth.a : truth.b;
  return endpoint === ours.client ? 'client' : 'server';
}

function directionPackets(truth: TruthConnection, ours: ConnectionReport): { client: number; server: number } {
  const d = truth.directions;
  if (truth.client !== null) {
    return { client: d['client->server']!.packets, server: d['server->client']!.packets };
  }
  const aIsClient = truth.a === ours.client;
  const ab = d['a->b']!.packets;
  const ba = d['b->a']!.packets;
  return aIsClient ? { client: ab, server: ba } : { client: ba, server: ab };
}

describe.skipIf(!haveSharedCaptures)('agrees with tshark on every shared capture', () => {
  for (const file of truthFiles()) {
    it(file, async () => {
      const truth = readTruth(file);
      const report: Report = await analyze(join(sharedFiles, file));
      const difference = DIFFERENCES[file];

      expect(report.connections).toHaveLength(truth.summary.tcp_streams);
      expect(report.summary.handshakes).toBe(difference?.handshakes ?? truth.summary.streams_with_full_handshake);
      expect(report.captures[0]!.truncated).toBe(truth.container.truncated_file !== undefined);

      // tshark numbers streams by first packet, as synfin numbers connections.
      truth.connections.forEach((expected, i) => {
        const ours = report.connections[i]!;
        const where = `${file} stream ${expected.stream}`;
        expect(new Set([ours.client, ours.server]), where).toEqual(new Set([expected.a, expected.b]));
        if (expected.client !== null) {
          expect({ client: ours.client, server: ours.server }, where).toEqual({ client: expected.client, server: expected.server });
        } else if (expected.port_guess) {
          expect(expected.port_guess, where).toContain(ours.server);
        }
        expect(ours.firstFin?.side ?? null, `${where} first FIN`).toBe(sideOf(expected.first_fin, expected, ours));
        expect(ours.firstRst?.side ?? null, `${where} first RST`).toBe(sideOf(expected.first_rst, expected, ours));
        const [how, side] = expected.closed_by.split('_');
        expect({ closedWith: ours.closedWith, closedBy: ours.closedBy }, `${where} closed by`).toEqual(
          how === 'open'
            ? { closedWith: null, closedBy: null }
            : { closedWith: how, closedBy: sideOf(side!, expected, ours) },
        );
        expect(ours.packets, `${where} packets per side`).toEqual(directionPackets(expected, ours));
      });
    });
  }
});
