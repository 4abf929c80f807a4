/**
 * TCP sequence numbers live on a 2^32 circle (RFC 9293 §3.4): "a before b" means the signed
 * 32-bit difference a - b is negative. Every comparison of sequence or acknowledgement numbers
 * goes through these helpers so wrap-around is handled in one place.
 */

/** Signed distance from b to a on the sequence circle. */
export function sequenceDelta(a: number, b: number): number {
  return (a - b) | 0;
}

export function sequenceAfter(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

export function sequenceAtOrAfter(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}

/** a + n on the sequence circle, as an unsigned 32-bit number. */
export function sequenceAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
