import { OptionCode, walkOptions } from './options.js';
import { DEFAULT_TIME_SCALE, TimeScale } from './timestamp.js';

/*
 * Interface Description Block (draft-ietf-opsawg-pcapng section 4.2):
 *   0 type 1 | 4 total length | 8 link type (u16) | 10 reserved | 12 snaplen (u32, 0 = no limit) |
 *   16 options | total length.
 * Interface ids are the order of IDBs within the section, from 0. Link type and time unit are per
 * interface, never per file (one file can mix Ethernet, SLL and raw IP, µs and ns).
 */

export const IDB_MIN_LENGTH = 20;

export interface Interface {
  linkType: number;
  snaplen: number;
  scale: TimeScale;
  /** if_tsoffset: seconds added to every timestamp of this interface. */
  offsetSeconds: number;
}

/** Scales by raw if_tsresol byte: interfaces share them (126 IDBs are usually 2 units). */
const scales = new Map<number, TimeScale>([[6, DEFAULT_TIME_SCALE]]);

function scaleFor(tsresol: number): TimeScale {
  let scale = scales.get(tsresol);
  if (scale === undefined) {
    scale = new TimeScale(tsresol);
    scales.set(tsresol, scale);
  }
  return scale;
}

/**
 * Parse a complete IDB at `offset` (length already checked ≥ IDB_MIN_LENGTH).
 * `warn` receives odd options; the interface is still usable.
 */
export function readInterface(
  view: DataView,
  offset: number,
  length: number,
  littleEndian: boolean,
  warn: (message: string) => void,
): Interface {
  const iface: Interface = {
    linkType: view.getUint16(offset + 8, littleEndian),
    snaplen: view.getUint32(offset + 12, littleEndian),
    scale: DEFAULT_TIME_SCALE,
    offsetSeconds: 0,
  };
  const problem = walkOptions(view, offset + 16, offset + length - 4, littleEndian, (code, at, size) => {
    if (code === OptionCode.IfTsresol) {
      if (size >= 1) iface.scale = scaleFor(view.getUint8(at));
      else warn('if_tsresol option is empty; using 10^-6');
    } else if (code === OptionCode.IfTsoffset) {
      if (size >= 8) {
        // Signed 64-bit seconds; the high word carries the sign.
        const high = view.getInt32(at + (littleEndian ? 4 : 0), littleEndian);
        const low = view.getUint32(at + (littleEndian ? 0 : 4), littleEndian);
        iface.offsetSeconds = high * 4294967296 + low;
      } else warn(`if_tsoffset option has ${size} bytes, expected 8; ignored`);
    }
  });
  if (problem !== undefined) warn(`${problem}; remaining options ignored`);
  const resolution = iface.scale.tsresol;
  if ((resolution & 0x80) !== 0 && (resolution & 0x7f) > 63) warn(`if_tsresol 2^-${resolution & 0x7f} is finer than 2^-63; read as 2^-63`);
  return iface;
}
