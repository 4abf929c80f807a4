import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { HistoryStrings } from '../../src/track/history.js';

describe('HistoryStrings', () => {
  test.prop([fc.array(fc.array(fc.constantFrom('S', 'h', 'A', 'D', 'ad', 'F', 'f', 'R', 'T', 'gw')), { maxLength: 20 })])(
    'appends as + does, whatever histories came before',
    (connections) => {
      const histories = new HistoryStrings();
      for (const steps of connections) {
        let history = '';
        for (const letters of steps) history = histories.append(history, letters);
        expect(history).toBe(steps.join(''));
      }
    },
  );

  it('still appends once its table is full', () => {
    const histories = new HistoryStrings();
    let last = '';
    for (let i = 0; i < 70_000; i++) last = histories.append(`h${i}`, 'F');
    expect(last).toBe('h69999F');
    expect(histories.append('h69999F', 'f')).toBe('h69999Ff');
  });
});
