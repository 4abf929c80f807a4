import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { bytesWriter, decodingTo } from '../../src/cli/io.js';

describe('decodingTo', () => {
  it('decodes a character split between two chunks whole', () => {
    const bytes = Buffer.from('a€b𝄞c', 'utf8');
    let text = '';
    const write = decodingTo((piece) => { text += piece; });
    for (let i = 0; i < bytes.length; i++) write(bytes.subarray(i, i + 1));
    expect(text).toBe('a€b𝄞c');
  });
});

describe('bytesWriter', () => {
  /** A stream that takes each write 5 ms later, like a pipe whose reader is slow. */
  function slowStream(): { stream: Writable; received: Buffer[] } {
    const received: Buffer[] = [];
    const stream = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, callback) {
        setTimeout(() => {
          received.push(Buffer.from(chunk));
          callback();
        }, 5);
      },
    });
    return { stream, received };
  }

  it('settles every write, those below the high-water mark too (no drain for them)', async () => {
    const { stream, received } = slowStream();
    const write = bytesWriter(stream);
    const pieces = [Buffer.from('x'.repeat(64)), Buffer.from('tail'), Buffer.from('!')];
    for (const piece of pieces) {
      const written = write(piece);
      expect(written).not.toBe(true);
      await written;
    }
    expect(Buffer.concat(received).toString()).toBe(`${'x'.repeat(64)}tail!`);
  });

  it('is done at once when the stream took the bytes at once', () => {
    const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    expect(bytesWriter(stream)(Buffer.from('abc'))).toBe(true);
  });
});
