import { expect, it } from 'vitest';
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
