/** Open connections' states by id: found while open, gone once deleted, slots reused. */
import { describe, expect, it } from 'vitest';
import { OpenTable } from '../../src/insight/open-table.js';

describe('OpenTable', () => {
  it('finds each state by its id until it is deleted, past its first size', () => {
    const table = new OpenTable<string>();
    table.add(1, 'one');
    table.add(5000, 'five thousand');
    table.add(2, 'two');
    expect([table.get(1), table.get(2), table.get(5000), table.get(3), table.get(1_000_000)]).toEqual(['one', 'two', 'five thousand', undefined, undefined]);
    table.delete(1);
    table.delete(1);
    table.delete(999_999);
    expect(table.get(1)).toBeUndefined();
    table.add(7, 'seven');
    table.add(8, 'eight');
    expect([table.get(2), table.get(7), table.get(8), table.get(5000)]).toEqual(['two', 'seven', 'eight', 'five thousand']);
  });

  it('holds as many slots as states open at once', () => {
    const table = new OpenTable<number>();
    for (let id = 1; id <= 10_000; id++) {
      table.add(id, id);
      if (id > 3) table.delete(id - 3);
    }
    expect((table as unknown as { states: unknown[] }).states.length).toBe(4);
    expect([table.get(9_997), table.get(9_998), table.get(10_000)]).toEqual([undefined, 9_998, 10_000]);
  });
});
