/** One direction's byte stream: every byte delivered once, in order; holes reported as gaps. */
import { describe, expect, it } from 'vitest';
import { DirectionStream, OUT_OF_ORDER_LIMIT, type StreamConsumer } from '../../src/insight/reassembly.js';

class Recorder implements StreamConsumer {
  readonly events: (string | number)[] = [];
  data(bytes: Uint8Array): void {
    this.events.push(String.fromCharCode(...bytes));
  }
  gap(length: number): void {
    this.events.push(length);
  }
  text(): string {
    return this.events.map((e) => (typeof e === 'number' ? `<${e}>` : e)).join('');
  }
}

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

function streamOf(isn = 100): { stream: DirectionStream; out: Recorder } {
  const out = new Recorder();
  const stream = new DirectionStream(out);
  stream.syn(isn);
  return { stream, out };
}

describe('DirectionStream', () => {
  it('delivers overlapping retransmissions once', () => {
    const { stream, out } = streamOf();
    stream.segment(101, 5, bytes('hello'));
    stream.segment(101, 5, bytes('hello'));
    stream.segment(103, 6, bytes('llo wo'));
    stream.segment(101, 3, bytes('hel'));
    expect(out.text()).toBe('hello wo');
  });

  it('holds early segments until the hole fills', () => {
    const { stream, out } = streamOf();
    stream.segment(106, 5, bytes('world'));
    stream.segment(111, 1, bytes('!'));
    expect(out.text()).toBe('');
    stream.segment(101, 5, bytes('hello'));
    expect(out.text()).toBe('helloworld!');
  });

  it('a frame cut by the snaplen: captured bytes, then a gap for the rest', () => {
    const { stream, out } = streamOf();
    stream.segment(101, 10, bytes('abc'));
    stream.segment(111, 2, bytes('de'));
    expect(out.events).toEqual(['abc', 7, 'de']);
  });

  it('wraps around 2^32', () => {
    const { stream, out } = streamOf(0xffff_fffd);
    stream.segment(0xffff_fffe, 4, bytes('wrap'));
    stream.segment(2, 3, bytes('ped'));
    expect(out.text()).toBe('wrapped');
  });

  it('a hole that never fills is reported at the end', () => {
    const { stream, out } = streamOf();
    stream.segment(101, 2, bytes('ab'));
    stream.segment(105, 2, bytes('ef'));
    stream.finish();
    expect(out.events).toEqual(['ab', 2, 'ef']);
  });

  it('holds at most OUT_OF_ORDER_LIMIT bytes: past it the hole is declared lost at once', () => {
    const { stream, out } = streamOf();
    const chunk = 'z'.repeat(1000);
    let sequence = 101 + 10; // ten bytes never arrive
    while (sequence - 111 <= OUT_OF_ORDER_LIMIT) {
      stream.segment(sequence, chunk.length, bytes(chunk));
      sequence += chunk.length;
    }
    expect(out.events[0]).toBe(10);
    expect(out.events.slice(1).join('').length).toBe(sequence - 111);
  });

  it('a capture that starts mid-stream begins at the first payload and says so', () => {
    const out = new Recorder();
    const stream = new DirectionStream(out);
    stream.segment(5000, 3, bytes('mid'));
    expect(stream.startedMidStream).toBe(true);
    expect(stream.startSeen).toBe(false);
    expect(out.text()).toBe('mid');
  });
});
