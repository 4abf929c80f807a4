import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { durationMs, isoTime } from '../../src/report/time.js';

describe('isoTime', () => {
  it('keeps the capture precision', () => {
    expect(isoTime(954147395, 148077000, 6)).toBe('2000-03-27T08:56:35.148077Z');
    expect(isoTime(1700000000, 123456789, 9)).toBe('2023-11-14T22:13:20.123456789Z');
    expect(isoTime(0, 0, 0)).toBe('1970-01-01T00:00:00Z');
  });

  it('agrees with Date wherever Date reaches', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000, max: 253_000_000_000 }), (seconds) => {
        expect(isoTime(seconds, 0, 3)).toBe(new Date(seconds * 1000).toISOString());
      }),
    );
  });

  it('writes the first `precision` digits of the nanoseconds, cut and never rounded', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.integer({ min: 0, max: 12 }), (nanos, precision) => {
        const digits = Math.min(9, precision);
        const fraction = digits === 0 ? '' : `.${String(nanos).padStart(9, '0').slice(0, digits)}`;
        expect(isoTime(1_700_000_000, nanos, precision)).toBe(`2023-11-14T22:13:20${fraction}Z`);
      }),
    );
    expect(isoTime(1_700_000_000, 999_999_999, 6)).toBe('2023-11-14T22:13:20.999999Z');
    expect(isoTime(1_700_000_000, 1_000, 6)).toBe('2023-11-14T22:13:20.000001Z');
    expect(isoTime(1_700_000_000, 7, 9)).toBe('2023-11-14T22:13:20.000000007Z');
  });

  it('writes years past 9999 in the expanded form instead of throwing', () => {
    // pcapng-example.pcapng holds times near 2^64 microseconds.
    expect(isoTime(18446744073204, 0, 6)).toMatch(/^\+\d{6}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z$/);
  });

  it('measures durations in milliseconds across second boundaries', () => {
    expect(durationMs(10, 999_000_000, 11, 1_000_000)).toBeCloseTo(2, 9);
  });
});
