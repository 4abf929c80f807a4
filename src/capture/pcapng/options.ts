/*
 * Options (draft-ietf-opsawg-pcapng section 3.5): code (u16), length (u16), value padded to 32
 * bits, in the section's byte order; opt_endofopt (code 0) ends the list, but may be missing when
 * the options run to the end of the block.
 */

export const OptionCode = {
  EndOfOptions: 0,
  Comment: 1,
  /** IDB if_tsresol (section 4.2): one byte. */
  IfTsresol: 9,
  /** IDB if_tsoffset (section 4.2): signed 64-bit seconds added to every timestamp. */
  IfTsoffset: 14,
} as const;

/**
 * Call `visit(code, valueOffset, length)` for each option in `view[start, end)`.
 * Returns an error text when an option runs past `end`, else undefined.
 */
export function walkOptions(
  view: DataView,
  start: number,
  end: number,
  littleEndian: boolean,
  visit: (code: number, valueOffset: number, length: number) => void,
): string | undefined {
  let offset = start;
  while (offset + 4 <= end) {
    const code = view.getUint16(offset, littleEndian);
    const length = view.getUint16(offset + 2, littleEndian);
    if (code === OptionCode.EndOfOptions) return undefined;
    const valueOffset = offset + 4;
    if (valueOffset + length > end) return `option ${code} claims ${length} bytes, only ${end - valueOffset} left in the block`;
    visit(code, valueOffset, length);
    offset = valueOffset + ((length + 3) & ~3);
  }
  return undefined;
}
