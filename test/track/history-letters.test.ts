import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/constants.js';
import { historyLetters as letterCode, lettersText } from '../../src/track/history.js';
import { I_ENDPOINT, IE_RETRANSMISSIONS } from '../../src/track/store.js';

/** One endpoint's int fields at offset `at` of a fresh array. */
function endpoint(at = 3): { ints: Int32Array; at: number } {
  return { ints: new Int32Array(at + I_ENDPOINT), at };
}

/** historyLetters as text. */
function historyLetters(...args: Parameters<typeof letterCode>): string {
  return lettersText(letterCode(...args));
}

describe('historyLetters', () => {
  it('records data and a pure ACK once per direction', () => {
    const { ints, at } = endpoint();
    const ack = TcpFlag.ACK;
    expect(historyLetters(ints, at, true, ack, 100, 10, false, false, false)).toBe('D');
    expect(historyLetters(ints, at, true, ack, 110, 10, false, false, false)).toBe('');
    expect(historyLetters(ints, at, true, ack, 120, 0, false, false, false)).toBe('A');
    expect(historyLetters(ints, at, true, ack, 120, 0, false, false, false)).toBe('');
  });

  it('adds nothing for a segment without ACK, flags or payload', () => {
    const { ints, at } = endpoint();
    expect(historyLetters(ints, at, false, 0, 5, 0, false, false, false)).toBe('');
    expect(historyLetters(ints, at, false, TcpFlag.ACK, 5, 0, false, false, false)).toBe('a');
  });

  it('still reports a retransmission after data was recorded', () => {
    const { ints, at } = endpoint();
    expect(historyLetters(ints, at, false, TcpFlag.ACK, 1, 10, false, false, false)).toBe('d');
    ints[at + IE_RETRANSMISSIONS] = 1;
    expect(historyLetters(ints, at, false, TcpFlag.ACK, 1, 10, true, false, false)).toBe('t');
  });

  it('records a FIN again only for a new sequence number', () => {
    const { ints, at } = endpoint();
    const finAck = TcpFlag.FIN | TcpFlag.ACK;
    expect(historyLetters(ints, at, true, finAck, 500, 0, false, false, false)).toBe('F');
    expect(historyLetters(ints, at, true, finAck, 500, 0, false, false, false)).toBe('');
    expect(historyLetters(ints, at, true, finAck, 501, 0, false, false, false)).toBe('F');
  });

  it('knows a retransmitted FIN or SYN past 2^31 (sequence numbers come as `| 0`)', () => {
    const { ints, at } = endpoint();
    const finAck = TcpFlag.FIN | TcpFlag.ACK;
    const high = 0xfffffff0 | 0;
    expect(historyLetters(ints, at, true, finAck, high, 0, false, false, false)).toBe('F');
    expect(historyLetters(ints, at, true, finAck, high, 0, false, false, false)).toBe('');
    expect(historyLetters(ints, at, true, TcpFlag.SYN, 0x80000000 | 0, 0, false, false, false)).toBe('S');
    expect(historyLetters(ints, at, true, TcpFlag.SYN, 0x80000000 | 0, 0, false, false, false)).toBe('');
  });
});
