import Table from 'cli-table3';
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { boxTable } from '../../src/report/box-table.js';

/** cli-table3, as synfin drew its table before boxTable: the oracle for the layout. */
function cliTable3(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const table = new Table({
    head: [...head],
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push([...row]);
  return table.toString();
}

// What synfin puts in cells: ASCII, and the few one-column symbols of its units and headers.
const cell = fc.string({ unit: fc.constantFrom(...'abc XYZ 019:./[]()+-'.split(''), 'µ', '→', '—', '·'), maxLength: 24 });

describe('boxTable', () => {
  test.prop([fc.integer({ min: 1, max: 9 }).chain((columns) =>
    fc.tuple(fc.array(cell, { minLength: columns, maxLength: columns }), fc.array(fc.array(cell, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 12 })),
  )])('draws what cli-table3 draws', ([head, rows]) => {
    expect(boxTable(head, rows)).toBe(cliTable3(head, rows));
  });

  test('a cell wider than its header widens the whole column', () => {
    expect(boxTable(['#', 'x'], [['1', 'a'], ['10', 'long cell']]).split('\n')).toEqual([
      '┌────┬───────────┐',
      '│ #  │ x         │',
      '│ 1  │ a         │',
      '│ 10 │ long cell │',
      '└────┴───────────┘',
    ]);
  });
});
