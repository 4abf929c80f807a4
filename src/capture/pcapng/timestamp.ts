import type { Frame } from '../types.js';

/*
 * pcapng timestamps (draft-ietf-opsawg-pcapng section 4.3) are a 64-bit count of units written as
 * two 32-bit words, high then low. The unit is the interface's if_tsresol (section 4.2): high bit
 * clear = 10^-n seconds, set = 2^-n seconds; default 10^-6. The count can exceed 2^53, so it is
 * split without BigInt by long division in base 2^16, where every intermediate stays below 2^53.
 */

const TWO_32 = 4294967296;
/** A count with its high word below 2^20 is below 2^52, exact as a double with room to spare. */
const EXACT_HIGH_LIMIT = 1 << 20;
/** 1e9 = 2^9 · 1953125: for 2^-n units, nanos = frac · 1953125 / 2^(n-9) is exact up to n = 32. */
const FIVE_POW_9 = 1953125;

/** Quotient of the last divide64() call, as two 32-bit words (module scratch: no allocation). */
let quotientHigh = 0;
let quotientLow = 0;

/** (high·2^32 + low) / divisor for divisor ≤ 1e9: quotient in quotientHigh/Low, remainder returned. */
function divide64(high: number, low: number, divisor: number): number {
  let rest = 0;
  let current = rest * 65536 + (high >>> 16);
  const q0 = Math.floor(current / divisor);
  rest = current - q0 * divisor;
  current = rest * 65536 + (high & 0xffff);
  const q1 = Math.floor(current / divisor);
  rest = current - q1 * divisor;
  current = rest * 65536 + (low >>> 16);
  const q2 = Math.floor(current / divisor);
  rest = current - q2 * divisor;
  current = rest * 65536 + (low & 0xffff);
  const q3 = Math.floor(current / divisor);
  rest = current - q3 * divisor;
  quotientHigh = q0 * 65536 + q1;
  quotientLow = q2 * 65536 + q3;
  return rest;
}

/** How to turn one interface's units into seconds + nanoseconds. */
export class TimeScale {
  /** Decimal digits the unit really has, capped at 9 (2^-n → ceil(n·log10 2)). */
  readonly precision: number;
  private readonly binary: boolean;
  private readonly exponent: number;
  /** Decimal n ≤ 9: units per second and nanoseconds per unit. */
  private readonly divisor: number;
  private readonly nanosPerUnit: number;

  /** @param tsresol the raw if_tsresol byte (default 6, i.e. microseconds). */
  constructor(readonly tsresol = 6) {
    this.binary = (tsresol & 0x80) !== 0;
    // 2^-64 and finer leave no whole seconds in a 64-bit count; 2^-63 is the finest handled.
    this.exponent = this.binary ? Math.min(tsresol & 0x7f, 63) : tsresol;
    this.precision = Math.min(9, this.binary ? Math.ceil(this.exponent * Math.LOG10E * Math.LN2) : this.exponent);
    const digits = Math.min(this.exponent, 9);
    this.divisor = 10 ** digits;
    this.nanosPerUnit = 10 ** (9 - digits);
  }

  /** Human form of the unit, e.g. `10^-6` or `2^-8`. */
  get label(): string {
    return `${this.binary ? 2 : 10}^-${this.exponent}`;
  }

  /** Write frame.seconds and frame.nanos for a count of units given as (high, low) words. */
  apply(high: number, low: number, frame: Frame): void {
    if (this.binary) {
      this.applyBinary(high >>> 0, low >>> 0, frame);
      return;
    }
    const divisor = this.divisor;
    if (this.exponent <= 9 && high >>> 0 < EXACT_HIGH_LIMIT) {
      // Below 2^52 units (microseconds until the year 2112) the count is an exact double, and one
      // division is enough: the quotient is below 2^52 / divisor, so its rounding error (half an
      // ulp, under 1 / (2 · divisor)) is smaller than its distance to the next whole number
      // (at least 1 / divisor): the floor is exact, and so is the remainder.
      const count = (high >>> 0) * TWO_32 + (low >>> 0);
      const seconds = Math.floor(count / divisor);
      frame.seconds = seconds;
      frame.nanos = (count - seconds * divisor) * this.nanosPerUnit;
      return;
    }
    let excess = this.exponent - 9;
    while (excess > 0) {
      // Finer than nanoseconds (e.g. 10^-12): first scale the count down to nanoseconds.
      const step = Math.min(excess, 9);
      divide64(high, low, 10 ** step);
      high = quotientHigh;
      low = quotientLow;
      excess -= step;
    }
    const rest = divide64(high, low, divisor);
    frame.seconds = quotientHigh * TWO_32 + quotientLow;
    frame.nanos = rest * this.nanosPerUnit;
  }

  private applyBinary(high: number, low: number, frame: Frame): void {
    const n = this.exponent;
    if (n === 0) {
      frame.seconds = high * TWO_32 + low;
      frame.nanos = 0;
    } else if (n < 32) {
      const scale = 2 ** n;
      const fraction = low % scale;
      frame.seconds = high * 2 ** (32 - n) + (low - fraction) / scale;
      frame.nanos = n <= 9 ? (fraction * 1e9) / scale : Math.floor((fraction * FIVE_POW_9) / 2 ** (n - 9));
    } else {
      // Keep the top 32 bits of the n-bit fraction; the nanoseconds may be 1 low for n > 32.
      const highScale = 2 ** (n - 32);
      const highFraction = high % highScale;
      frame.seconds = (high - highFraction) / highScale;
      const fraction32 = highFraction * 2 ** (64 - n) + Math.floor(low / highScale);
      frame.nanos = Math.floor((fraction32 * FIVE_POW_9) / 2 ** 23);
    }
  }
}

/** Microseconds, the unit when an IDB has no if_tsresol option. */
export const DEFAULT_TIME_SCALE = new TimeScale(6);
