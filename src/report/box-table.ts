/**
 * A box-drawn table: a head row, then one line per row, no rule between rows, one space of
 * padding each side of a cell, every column as wide as its widest cell. The same picture
 * cli-table3 draws with `chars` mid/left-mid/mid-mid/right-mid set to '' and no colours
 * (test/report/box-table.test.ts holds it to cli-table3's), drawn in one pass: cli-table3 lays
 * cells out for row and column spans in time quadratic in the rows, 15 s for 10,000
 * connections and over 14 minutes for 100,000, where this takes well under a second.
 *
 * Cells are text synfin makes (numbers, addresses, words, `µ`, `→`, `—`): every code point is
 * one column wide, and none carries a colour code or a line break.
 */

/** Columns a cell takes on a terminal: one per code point (see above). */
export function cellWidth(text: string): number {
  let width = text.length;
  // A surrogate pair is one code point in two UTF-16 units.
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) width--;
  }
  return width;
}

function rule(widths: readonly number[], left: string, middle: string, right: string): string {
  return left + widths.map((width) => '─'.repeat(width + 2)).join(middle) + right;
}

/** The line above the head row. */
export function topRule(widths: readonly number[]): string {
  return rule(widths, '┌', '┬', '┐');
}

/** The line below the last row. */
export function bottomRule(widths: readonly number[]): string {
  return rule(widths, '└', '┴', '┘');
}

/** One row, each cell padded to its column's width (`widths`: the widest cell of each column). */
export function boxRow(cells: readonly string[], widths: readonly number[]): string {
  let text = '│';
  for (let i = 0; i < widths.length; i++) {
    const cell = cells[i] ?? '';
    text += ` ${cell}${' '.repeat(widths[i]! - cellWidth(cell))} │`;
  }
  return text;
}

/** The table as lines joined by `\n`, without a final line break. */
export function boxTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map(cellWidth);
  for (const row of rows) widen(widths, row);
  const lines = [topRule(widths), boxRow(head, widths)];
  for (const row of rows) lines.push(boxRow(row, widths));
  lines.push(bottomRule(widths));
  return lines.join('\n');
}

/** Widens `widths` to fit `row`. */
export function widen(widths: number[], row: readonly string[]): void {
  for (let i = 0; i < widths.length; i++) {
    const width = cellWidth(row[i] ?? '');
    if (width > widths[i]!) widths[i] = width;
  }
}
