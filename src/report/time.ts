/**
 * ISO 8601 with the capture's own precision: 6 fraction digits for a microsecond file,
 * 9 for nanoseconds (Date alone would round to milliseconds).
 */
export function isoTime(seconds: number, nanos: number, precision: number): string {
  const base = new Date(seconds * 1000).toISOString(); // 2000-03-27T08:56:35.000Z
  const digits = Math.min(9, Math.max(0, precision));
  if (digits === 0) return `${base.slice(0, 19)}Z`;
  const fraction = String(nanos).padStart(9, '0').slice(0, digits);
  return `${base.slice(0, 19)}.${fraction}Z`;
}

/** Milliseconds between two (seconds, nanos) moments. */
export function durationMs(
  startSeconds: number,
  startNanos: number,
  endSeconds: number,
  endNanos: number,
): number {
  return (endSeconds - startSeconds) * 1000 + (endNanos - startNanos) / 1e6;
}
