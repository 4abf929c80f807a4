import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decimal, threeDigits, zeroPadded } from '../../src/decode/decimal.js';

describe('decimal', () => {
  test.each([
    0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 10_001, 99_999_999, 100_000_000, 100_010_001,
    999_999_999_999, 1e12, 1e12 + 1, 2 ** 32, 2 ** 53 - 1, 1e16 - 2, 1e16, 1e21, -0, -1, -10_000, 0.5, 1e-7,
    12.345678, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  ])('%s reads as String() has it', (value) => {
    expect(decimal(value)).toBe(String(value));
  });

  test.prop([fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })])('any safe whole number', (value) => {
    expect(decimal(value)).toBe(String(value));
  });

  test.prop([fc.double()])('any double', (value) => {
    expect(decimal(value)).toBe(String(value));
  });
});

describe('zeroPadded', () => {
  test.prop([fc.integer({ min: 0, max: 999_999_999_999 }), fc.integer({ min: 1, max: 12 })])(
    'pads as padStart does',
    (value, width) => {
      expect(zeroPadded(value, width)).toBe(String(value).padStart(width, '0'));
    },
  );
});

describe('threeDigits', () => {
  test.prop([fc.integer({ min: 0, max: 999 })])('pads to three digits as padStart does, asked once or again', (value) => {
    expect(threeDigits(value)).toBe(String(value).padStart(3, '0'));
    expect(threeDigits(value)).toBe(String(value).padStart(3, '0'));
  });
});
