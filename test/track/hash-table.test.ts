import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ConnectionHashTable } from '../../src/track/hash-table.js';

/** The indexes the table gives for `hash`, in probe order. */
function withHash(table: ConnectionHashTable, hash: number): number[] {
  const found: number[] = [];
  for (let cursor = table.find(hash, -1); cursor !== -1; cursor = table.find(hash, cursor)) found.push(table.indexAt(cursor));
  return found;
}

const sorted = (indexes: number[]): number[] => [...indexes].sort((a, b) => a - b);

describe('ConnectionHashTable', () => {
  it('keeps every connection reachable under its hash through many doublings', () => {
    const table = new ConnectionHashTable();
    // Hashes that differ only in their high bits, or repeat (a hash collision between 4-tuples).
    const hashes = Array.from({ length: 20_000 }, (_, i) => ((i % 7_000) << 12) | 5);
    const expected = new Map<number, number[]>();
    hashes.forEach((hash, index) => {
      table.add(index, hash);
      expected.set(hash, [...(expected.get(hash) ?? []), index]);
    });
    for (const [hash, indexes] of expected) expect(sorted(withHash(table, hash))).toEqual(indexes);
    expect(withHash(table, 6)).toEqual([]);
  });

  it('keeps every connection reachable when room was reserved ahead, between adds', () => {
    const table = new ConnectionHashTable();
    const expected = new Map<number, number[]>();
    for (let index = 0; index < 30_000; index++) {
      if (index % 5_000 === 0) table.reserve(4_096);
      const hash = ((index % 9_000) << 11) | 3;
      table.add(index, hash);
      expected.set(hash, [...(expected.get(hash) ?? []), index]);
    }
    for (const [hash, indexes] of expected) expect(sorted(withHash(table, hash))).toEqual(indexes);
  });

  it('takes a connection out wherever it sits among those of its hash', () => {
    const table = new ConnectionHashTable();
    for (const index of [0, 1, 2]) table.add(index, 42);
    table.add(3, 43);
    table.remove(1, 42);
    expect(sorted(withHash(table, 42))).toEqual([0, 2]);
    table.remove(2, 42);
    expect(withHash(table, 42)).toEqual([0]);
    table.remove(0, 42);
    expect(withHash(table, 42)).toEqual([]);
    // Removing what is not there changes nothing; what came after a removed slot stays reachable.
    table.remove(0, 42);
    expect(withHash(table, 43)).toEqual([3]);
  });

  // Against a plain model: adds, and removals of connections added before, in any order.
  test.prop([fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 40 }), fc.nat()), { maxLength: 3000 })])(
    'finds what a model finds after any adds and removals',
    (steps) => {
      const table = new ConnectionHashTable();
      const model = new Map<number, number>(); // index -> hash
      let next = 0;
      for (const [remove, hashSeed, pick] of steps) {
        // Few distinct hashes, so that many share one and collide in the probes.
        const hash = Math.imul(hashSeed, 0x01000193) | 0;
        if (remove && model.size > 0) {
          const indexes = [...model.keys()];
          const index = indexes[pick % indexes.length]!;
          table.remove(index, model.get(index)!);
          model.delete(index);
        } else {
          table.add(next, hash);
          model.set(next++, hash);
        }
      }
      const byHash = new Map<number, number[]>();
      for (const [index, hash] of model) byHash.set(hash, [...(byHash.get(hash) ?? []), index]);
      for (let seed = 0; seed <= 40; seed++) {
        const hash = Math.imul(seed, 0x01000193) | 0;
        expect(sorted(withHash(table, hash))).toEqual(byHash.get(hash) ?? []);
      }
    },
  );
});
