/** One direction's byte stream: every byte delivered once, in order; holes reported as gaps. */
import { describe, expect, it } from 'vitest';
import { DirectionStream, OUT_OF_ORDER_LIMIT, type StreamConsumer } from '../../src/insight/reassembly.js';

class Recorder implements StreamConsumer {
  readonly events: (string | number)[] = [];
  data(bytes: Uint8Array, start: number, end: number): void {
    this.events.push(String.fromCharCode(...bytes.subarray(start, end)));
  }
  gap(length: number): void {
    this.events.push(length);
  }
  text(): string {
    return this.events.map((e) => (typeof e === 'number' ? `<${e}>` : e)).join('');
  }
}

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A segment whose captured bytes are `text`, placed mid-buffer as a frame's payload is. */
function send(stream: DirectionStream, sequence: number, length: number, text: string): void {
  const frame = bytes(`##${text}##`);
  stream.segment(sequence, length, frame, 2, 2 + text.length);
}

function streamOf(isn = 100): { stream: DirectionStream; out: Recorder } {
  const out = new Recorder();
  const stream = new DirectionStream(out);
  stream.syn(isn);
  return { stream, out };
}

describe('DirectionStream', () => {
  it('delivers overlapping retransmissions once', () => {
    const { stream, out } = streamOf();
    send(stream, 101, 5, 'hello');
    send(stream, 101, 5, 'hello');
    send(stream, 103, 6, 'llo wo');
    send(stream, 101, 3, 'hel');
    expect(out.text()).toBe('hello wo');
  });

  it('holds early segments until the hole fills', () => {
    const { stream, out } = streamOf();
    send(stream, 106, 5, 'world');
    send(stream, 111, 1, '!');
    expect(out.text()).toBe('');
    send(stream, 101, 5, 'hello');
    expect(out.text()).toBe('helloworld!');
  });

  it('a frame cut by the snaplen: captured bytes, then a gap for the rest', () => {
    const { stream, out } = streamOf();
    send(stream, 101, 10, 'abc');
    send(stream, 111, 2, 'de');
    expect(out.events).toEqual(['abc', 7, 'de']);
  });

  it('wraps around 2^32', () => {
    const { stream, out } = streamOf(0xffff_fffd);
    send(stream, 0xffff_fffe, 4, 'wrap');
    send(stream, 2, 3, 'ped');
    expect(out.text()).toBe('wrapped');
  });

  it('a hole that never fills is reported at the end', () => {
    const { stream, out } = streamOf();
    send(stream, 101, 2, 'ab');
    send(stream, 105, 2, 'ef');
    stream.finish();
    expect(out.events).toEqual(['ab', 2, 'ef']);
  });

  it('holds at most OUT_OF_ORDER_LIMIT bytes: past it the hole is declared lost at once', () => {
    const { stream, out } = streamOf();
    const chunk = 'z'.repeat(1000);
    let sequence = 101 + 10; // ten bytes never arrive
    while (sequence - 111 <= OUT_OF_ORDER_LIMIT) {
      send(stream, sequence, chunk.length, chunk);
      sequence += chunk.length;
    }
    expect(out.events[0]).toBe(10);
    expect(out.events.slice(1).join('').length).toBe(sequence - 111);
  });

  it('a capture that starts mid-stream begins at the first payload and says so', () => {
    const out = new Recorder();
    const stream = new DirectionStream(out);
    send(stream, 5000, 3, 'mid');
    expect(stream.startedMidStream).toBe(true);
    expect(stream.startSeen).toBe(false);
    expect(out.text()).toBe('mid');
  });
});
