import { expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { analyzeTracked } from '../../src/analyze.js';
import { negativeDurations } from '../../src/report/json-stream.js';
import { buildPcap } from '../helpers/capture-builder.js';
import { conversation, type Conversation } from '../helpers/conversation.js';

/** Each conversation's frames in the order given, timestamps as they are (no sorting). */
function pcapInOrder(...conversations: Conversation[]): Uint8Array {
  return buildPcap({ records: conversations.flatMap((c) => c.frames).map((f) => ({ seconds: f.seconds, fraction: f.fraction, data: f.data })) });
}

function closed(client: string): Conversation {
  return conversation({ client, server: '10.0.0.2:80', startSeconds: 1_700_000_000, stepMicros: 1000 })
    .handshake()
    .fin('client')
    .fin('server')
    .ack('client');
}

it('finds the connections whose last packet is timestamped before their first, to the microsecond', async () => {
  const forward = closed('10.0.0.1:40001');
  // Same second, an earlier fraction: only the sub-second part says the end came first.
  const sameSecondBack = closed('10.0.0.1:40002');
  sameSecondBack.frames.at(-1)!.fraction = 0;
  sameSecondBack.frames[0]!.fraction = 500;
  // An earlier second, a later fraction: the seconds decide.
  const secondBack = closed('10.0.0.1:40003');
  secondBack.frames.at(-1)!.seconds -= 1;
  secondBack.frames.at(-1)!.fraction = 999_999;
  // Equal first and last moments: a zero duration, not a negative one.
  const zero = closed('10.0.0.1:40004');
  for (const frame of zero.frames) frame.fraction = 7;

  const analysis = await analyzeTracked(pcapInOrder(forward, sameSecondBack, secondBack, zero));
  const found = negativeDurations(analysis);
  expect(found.map((r) => r.client)).toEqual(['10.0.0.1:40002', '10.0.0.1:40003']);
  expect(found.map((r) => r.durationMs)).toEqual([-0.5, -0.001]);
});

/** Every frame of the conversations, sorted by time as a capture would hold them. */
function pcapSorted(...conversations: Conversation[]): Uint8Array {
  const frames = conversations.flatMap((c) => c.frames).sort((a, b) => a.seconds - b.seconds || a.fraction - b.fraction);
  return buildPcap({ records: frames.map((f) => ({ seconds: f.seconds, fraction: f.fraction, data: f.data })) });
}

function startingAt(client: string, offsetMicros: number): Conversation {
  return conversation({ client, server: '10.0.0.2:80', startSeconds: 1_700_000_000, stepMicros: 1000, offsetMicros })
    .handshake()
    .fin('client')
    .fin('server')
    .ack('client');
}

/** The walk itself, without the in-time-order shortcut. */
function walked(analysis: Awaited<ReturnType<typeof analyzeTracked>>): string[] {
  const walk = { connectionCount: analysis.connectionCount, connectionAt: analysis.connectionAt, insight: analysis.insight };
  return negativeDurations(walk).map((r) => r.client);
}

it('knows when every packet was tracked in time order, across rotated files too', async () => {
  const a = startingAt('10.0.0.1:40001', 0);
  const b = startingAt('10.0.0.1:40002', 500);
  const sorted = await analyzeTracked(pcapSorted(a, b));
  expect(sorted.connectionCount).toBe(2);
  expect(sorted.inTimeOrder).toBe(true);
  expect(negativeDurations(sorted)).toEqual([]);

  // Equal timestamps are in order: a fast link stamps several packets with one microsecond.
  const same = closed('10.0.0.1:40003');
  for (const frame of same.frames) frame.fraction = 7;
  expect((await analyzeTracked(pcapInOrder(same))).inTimeOrder).toBe(true);

  // Two files, each in order, merged by time as mergecap would.
  const merged = await analyzeTracked([pcapSorted(startingAt('10.0.0.1:40004', 0)), pcapSorted(startingAt('10.0.0.1:40005', 300))]);
  expect(merged.connectionCount).toBe(2);
  expect(merged.inTimeOrder).toBe(true);

  // One connection after the other in file order, the second begun earlier: time goes back
  // between connections, yet neither ends before it starts, and the walk says so.
  const unsorted = await analyzeTracked(pcapInOrder(a, b));
  expect(unsorted.inTimeOrder).toBe(false);
  expect(negativeDurations(unsorted)).toEqual([]);
});

test.prop([fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 999_999 })), { minLength: 1, maxLength: 40 })], { numRuns: 60 })(
  'finds a negative duration whenever there is one, whatever order the timestamps come in',
  async (steps) => {
    // Frames of three conversations interleaved as `steps` says, each stamped with its own time.
    const talks = [0, 1, 2].map((n) => closed(`10.0.0.1:${40010 + n}`));
    const next = [0, 0, 0];
    const records: { seconds: number; fraction: number; data: Uint8Array }[] = [];
    for (const [talk, second, fraction] of steps) {
      const which = talk % 3;
      const frame = talks[which]!.frames[next[which]!];
      if (frame === undefined) continue;
      next[which]!++;
      records.push({ seconds: 1_700_000_000 + second, fraction, data: frame.data });
    }
    const analysis = await analyzeTracked(buildPcap({ records }));
    const inOrder = records.every((r, i) => i === 0 || r.seconds > records[i - 1]!.seconds || (r.seconds === records[i - 1]!.seconds && r.fraction >= records[i - 1]!.fraction));
    expect(analysis.inTimeOrder).toBe(inOrder);
    expect(negativeDurations(analysis).map((r) => r.client)).toEqual(walked(analysis));
    if (inOrder) expect(walked(analysis)).toEqual([]);
  },
);
