/**
 * Properties over arbitrary scripted conversations: the pictures never throw, never draw wider
 * than asked, agree with the table's packet count, and colour only adds escape codes.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { renderLadders } from '../../src/view/ladder.js';
import { ViewRecorder } from '../../src/view/record.js';
import { viewStyle } from '../../src/view/style.js';
import { renderTimeline } from '../../src/view/timeline.js';
import { conversation, pcapOf, type Who } from '../helpers/conversation.js';

const stepArbitrary = fc.record({
  who: fc.constantFrom<Who>('client', 'server'),
  flags: fc.constantFrom('SYN', 'SYN,ACK', 'ACK', 'PSH,ACK', 'FIN,ACK', 'RST', 'RST,ACK'),
  payload: fc.oneof(
    fc.constant(''),
    fc.constantFrom('GET /x HTTP/1.1\r\n\r\n', 'HTTP/1.1 404 Not Found\r\n\r\n', 'POST /a/very/long/path/that/goes/on/and/on/and/on/and/on HTTP/1.1\r\n'),
    fc.string({ minLength: 1, maxLength: 40 }),
  ),
  resend: fc.boolean(),
});

const scriptArbitrary = fc.array(
  fc.record({ steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 40 }), port: fc.integer({ min: 1024, max: 65535 }), offset: fc.integer({ min: 0, max: 50_000 }) }),
  { minLength: 1, maxLength: 4 },
);

function strip(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

describe('pictures of arbitrary conversations', () => {
  test.prop([scriptArbitrary, fc.integer({ min: 40, max: 160 }), fc.boolean(), fc.integer({ min: 1, max: 6 })], { numRuns: 60 })(
    'fit the width, count every packet, and colour adds only escape codes',
    async (scripts, width, ascii, headSteps) => {
      const talks = scripts.map((script, i) => {
        const talk = conversation({ client: `10.0.${i}.1:${script.port}`, server: `10.0.${i}.2:80`, offsetMicros: script.offset, stepMicros: 137 });
        for (const step of script.steps) {
          const payload = step.flags === 'PSH,ACK' ? step.payload || 'x' : '';
          // A resend reuses the side's first sequence number: an old segment or SYN sent again.
          talk.send(step.who, step.flags, { payload, ...(step.resend ? { seq: step.who === 'client' ? 1000 : 5000 } : {}) });
        }
        return talk;
      });
      const recorder = new ViewRecorder({ ladders: 'all', timeline: true, headSteps, tailSteps: 3 });
      const report = await analyze(pcapOf(...talks), { observers: [recorder] });
      const data = recorder.finish();
      expect(data.ladders.map((l) => l.id)).toEqual(report.connections.map((c) => c.id));
      for (const ladder of data.ladders) {
        const packets = [...ladder.head, ...ladder.tail].reduce((sum, step) => sum + step.count, 0) + ladder.omitted;
        const connection = report.connections.find((c) => c.id === ladder.id)!;
        expect(packets).toBe(connection.packets.client + connection.packets.server);
      }
      const plain = viewStyle({ width, ascii });
      const coloured = viewStyle({ width, ascii, color: true });
      for (const render of [
        (style: typeof plain) => renderTimeline(report, data.timeline, style),
        (style: typeof plain) => renderLadders(report.connections, data.ladders, style),
      ]) {
        const text = render(plain);
        for (const line of text.split('\n')) expect([...line].length).toBeLessThanOrEqual(width);
        if (ascii) expect(text).toMatch(/^[\x20-\x7e\n]*$/);
        expect(strip(render(coloured))).toBe(text);
      }
    },
  );
});
