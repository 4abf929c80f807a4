import { describe, expect, it } from 'vitest';
import { ConnectionBuckets } from '../../src/track/buckets.js';
import { ConnectionStore, I_HASH, intBase } from '../../src/track/store.js';

function addConnection(store: ConnectionStore, buckets: ConnectionBuckets, hash: number): number {
  const index = store.add();
  store.ints(index)[intBase(index) + I_HASH] = hash;
  buckets.add(index, hash);
  return index;
}

/** Indexes of the chain that `hash` picks which carry that hash, in chain order. */
function withHash(store: ConnectionStore, buckets: ConnectionBuckets, hash: number): number[] {
  const found: number[] = [];
  for (let index = buckets.first(hash); index !== -1; index = buckets.next(index)) {
    if (store.ints(index)[intBase(index) + I_HASH] === hash) found.push(index);
  }
  return found;
}

describe('connection buckets', () => {
  it('keeps each hash reachable, newest first, through many doublings', () => {
    const store = new ConnectionStore();
    const buckets = new ConnectionBuckets(store);
    // Hashes that differ only in their high bits, or repeat (a reused 4-tuple, a hash collision).
    const hashes = Array.from({ length: 20_000 }, (_, i) => ((i % 7_000) << 12) | 5);
    const expected = new Map<number, number[]>();
    for (const hash of hashes) {
      const index = addConnection(store, buckets, hash);
      expected.set(hash, [index, ...(expected.get(hash) ?? [])]);
    }
    for (const [hash, indexes] of expected) expect(withHash(store, buckets, hash)).toEqual(indexes);
  });

  it('removes a connection from the middle, the head or the end of its chain', () => {
    const store = new ConnectionStore();
    const buckets = new ConnectionBuckets(store);
    const [oldest, middle, newest] = [addConnection(store, buckets, 42), addConnection(store, buckets, 42), addConnection(store, buckets, 42)];
    buckets.remove(middle, 42);
    expect(withHash(store, buckets, 42)).toEqual([newest, oldest]);
    buckets.remove(newest, 42);
    expect(withHash(store, buckets, 42)).toEqual([oldest]);
    buckets.remove(oldest, 42);
    expect(withHash(store, buckets, 42)).toEqual([]);
    // Removing what is not there changes nothing.
    buckets.remove(oldest, 42);
    expect(buckets.first(42)).toBe(-1);
  });
});
