/**
 * ISO 8601 with the capture's own precision: 6 fraction digits for a microsecond file,
 * 9 for nanoseconds (Date alone would round to milliseconds). Computed from the day count
 * rather than with Date, whose range ends in the year 275760: pcapng timestamps are 64-bit
 * and real files hold values far past it (a bogus if_tsoffset, a clock near 2^64 units).
 */

import { threeDigits, zeroPadded } from '../decode/decimal.js';

const SECONDS_PER_DAY = 86_400;

/** Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Years outside 0000-9999 take ISO 8601's expanded form: a sign and at least six digits. */
function yearText(year: number): string {
  if (year >= 0 && year <= 9999) return zeroPadded(year, 4);
  return `${year < 0 ? '-' : '+'}${zeroPadded(Math.abs(year), 6)}`;
}

/** The last whole second formatted: a connection's times, and its neighbours', share most of them. */
let cachedSeconds = Number.NaN;
let cachedDate = '';

function dateText(seconds: number): string {
  if (seconds === cachedSeconds) return cachedDate;
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const secondOfDay = seconds - days * SECONDS_PER_DAY;
  const { year, month, day } = civilFromDays(days);
  const hours = Math.floor(secondOfDay / 3600);
  const minutes = Math.floor((secondOfDay % 3600) / 60);
  const secs = secondOfDay % 60;
  cachedDate = `${yearText(year)}-${zeroPadded(month, 2)}-${zeroPadded(day, 2)}T${zeroPadded(hours, 2)}:${zeroPadded(minutes, 2)}:${zeroPadded(secs, 2)}`;
  cachedSeconds = seconds;
  return cachedDate;
}

export function isoTime(seconds: number, nanos: number, precision: number): string {
  const date = dateText(seconds);
  const digits = Math.min(9, Math.max(0, precision));
  if (digits === 0) return `${date}Z`;
  // Microseconds (classic pcap) and nanoseconds from tables: two or three pieces instead of
  // padding nine digits and cutting them, for every start, end and close of every connection.
  if ((digits === 6 || digits === 9) && nanos >= 0 && nanos < 1e9 && Math.floor(nanos) === nanos) {
    const millis = Math.floor(nanos / 1e6);
    const micros = Math.floor(nanos / 1e3) - millis * 1e3;
    if (digits === 6) return `${date}.${threeDigits(millis)}${threeDigits(micros)}Z`;
    return `${date}.${threeDigits(millis)}${threeDigits(micros)}${threeDigits(nanos % 1e3)}Z`;
  }
  return `${date}.${zeroPadded(nanos, 9).slice(0, digits)}Z`;
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
