import { describe, expect, it } from 'vitest';
import { Utf8Chunks } from '../../src/report/utf8-chunks.js';

/** Feed pieces through chunks of `size` bytes; return the chunks as they came out. */
function chunked(pieces: readonly string[], size: number): Uint8Array[] {
  const chunks = new Utf8Chunks(size);
  const out: Uint8Array[] = [];
  for (const piece of pieces) {
    const full = chunks.add(piece);
    if (full !== undefined) out.push(full);
  }
  const rest = chunks.take();
  if (rest !== undefined) out.push(rest);
  return out;
}

describe('Utf8Chunks', () => {
  const pieces = ['{"a": ', '"é€𝄞"', ', ', 'x'.repeat(40), ', "', '日本語'.repeat(7), '"}', ''];

  it.each([16, 64, 1 << 20])('gives the UTF-8 of the joined pieces with %i-byte chunks', (size) => {
    const out = chunked(pieces, size);
    expect(Buffer.concat(out).toString('utf8')).toBe(pieces.join(''));
    if (size < 100) expect(out.length).toBeGreaterThan(1);
    for (const chunk of out.slice(0, -1)) expect(chunk.length).toBeLessThanOrEqual(Math.max(size, 3 * 40 + size));
  });

  it('never hands out the same memory twice', () => {
    const out = chunked(['abcdefgh', 'ijklmnop', 'qrstuvwx'], 24);
    expect(out.length).toBeGreaterThan(1);
    const [first] = out;
    const copy = Buffer.from(first!).toString();
    chunked(['zzzzzzzz'], 24);
    expect(Buffer.from(first!).toString()).toBe(copy);
    expect(new Set(out.map((chunk) => chunk.buffer)).size).toBe(out.length);
  });

  it('fills a released chunk again, and only the one handed out last', () => {
    const chunks = new Utf8Chunks(32);
    expect(chunks.add('abcdefgh')).toBeUndefined();
    const first = chunks.take()!;
    expect(Buffer.from(first).toString()).toBe('abcdefgh');
    chunks.release(new Uint8Array(32));
    chunks.add('12345678');
    const second = chunks.take()!;
    expect(second.buffer).not.toBe(first.buffer);
    chunks.release(second);
    // The chunk being filled was made when `second` was handed out; the one after it is `second`'s memory.
    chunks.add('ABCDEFGH');
    const third = chunks.take()!;
    chunks.add('IJKLMNOP');
    const fourth = chunks.take()!;
    expect(third.buffer).not.toBe(second.buffer);
    expect(fourth.buffer).toBe(second.buffer);
    expect(Buffer.from(fourth).toString()).toBe('IJKLMNOP');
    expect(Buffer.from(first).toString()).toBe('abcdefgh');
  });

  it('has nothing to take when nothing was added', () => {
    expect(new Utf8Chunks().take()).toBeUndefined();
  });
});
