/**
 * Decimal text of whole numbers, from tables of the numbers below 10,000.
 *
 * `String(n)` goes through V8's number-to-string cache, a table in the old generation that
 * keeps every string it made alive until another number takes its slot. Writing a report makes
 * a few dozen such strings per connection; held by the cache, they outlive the scavenges of a
 * small young generation and are promoted, and then wait in the old generation for a full
 * collection: 14 MB of peak RSS on 100k connections once the young generation is kept small
 * (src/cli/heap.ts). A table's strings are made once and kept; joining them allocates only
 * the result.
 */

const GROUP = 10_000;

/** 0..9999 as text, each made on first use: a small report needs a few dozen, not ten thousand. */
const plain: (string | undefined)[] = new Array<string | undefined>(GROUP);
/** 0000..9999: the lower groups of a longer number. */
const padded: (string | undefined)[] = new Array<string | undefined>(GROUP);

/** 000..999: a fraction's digits three at a time (src/report/time.ts). */
const triples: (string | undefined)[] = new Array<string | undefined>(1000);

function small(value: number): string {
  return (plain[value] ??= String(value));
}

function group(value: number): string {
  return (padded[value] ??= small(value).padStart(4, '0'));
}

/**
 * `String(value)` for any number; whole numbers from 0 to 10^16 (past every packet, byte or
 * request count a capture can hold, and exact in a double) come from the tables.
 */
export function decimal(value: number): string {
  if (!(value >= 0 && value < 1e16) || Math.floor(value) !== value) return String(value);
  if (value < GROUP) return small(value);
  const high = Math.floor(value / GROUP);
  const low = group(value - high * GROUP);
  if (high < GROUP) return small(high) + low;
  const top = Math.floor(high / GROUP);
  const middle = group(high - top * GROUP);
  if (top < GROUP) return small(top) + middle + low;
  const first = Math.floor(top / GROUP);
  return small(first) + group(top - first * GROUP) + middle + low;
}

/** `value` (0 <= value < 10^width, whole) with leading zeros to `width` digits (at most 12). */
export function zeroPadded(value: number, width: number): string {
  const text = decimal(value);
  return text.length >= width ? text : '0'.repeat(width - text.length) + text;
}

/** `value` (0..999, whole) as three digits with leading zeros, from a table. */
export function threeDigits(value: number): string {
  return (triples[value] ??= zeroPadded(value, 3));
}
