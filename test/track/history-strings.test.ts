import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { TcpFlag } from '../../src/decode/constants.js';
import { HistoryStrings, historyLetters, lettersText } from '../../src/track/history.js';
import { I_ENDPOINT } from '../../src/track/store.js';

/** The code historyLetters gives a fresh endpoint for one segment with these flags. */
function code(flags: number, payload: number, isClient: boolean): number {
  return historyLetters(new Int32Array(I_ENDPOINT), 0, isClient, flags, 1, payload, false, false, false);
}

describe('HistoryStrings', () => {
  // Any 12-bit code (11 letters and the client bit), not only those one segment can make.
  test.prop([fc.array(fc.array(fc.integer({ min: 1, max: 4095 })), { maxLength: 20 })])(
    'appends as + does, whatever histories came before',
    (connections) => {
      const histories = new HistoryStrings();
      for (const steps of connections) {
        let history = '';
        for (const step of steps) history = histories.append(history, step);
        expect(history).toBe(steps.map(lettersText).join(''));
      }
    },
  );

  it('writes letters in Zeek order, uppercase for the client', () => {
    expect(lettersText(code(TcpFlag.SYN, 0, true))).toBe('S');
    expect(lettersText(code(TcpFlag.SYN | TcpFlag.ACK, 0, false))).toBe('h');
    expect(lettersText(code(TcpFlag.FIN | TcpFlag.ACK, 10, true))).toBe('FD');
    expect(lettersText(code(TcpFlag.SYN | TcpFlag.FIN, 0, false))).toBe('qsf');
    expect(lettersText(code(TcpFlag.FIN | TcpFlag.RST | TcpFlag.ACK, 0, true))).toBe('IFR');
    expect(lettersText(0)).toBe('');
  });

  it('still appends once its table is full', () => {
    const histories = new HistoryStrings();
    const fin = code(TcpFlag.FIN | TcpFlag.ACK, 0, true);
    let last = '';
    for (let i = 0; i < 70_000; i++) last = histories.append(`h${i}`, fin);
    expect(last).toBe('h69999F');
    expect(histories.append('h69999F', code(TcpFlag.FIN | TcpFlag.ACK, 0, false))).toBe('h69999Ff');
  });
});
