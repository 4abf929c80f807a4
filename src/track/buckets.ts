import { I_HASH, I_NEXT, intBase, type ConnectionStore } from './store.js';

const INITIAL_BITS = 12;
/** 2^32 / golden ratio: multiplying spreads every input bit into the top bits (Fibonacci hashing). */
const FIBONACCI = 0x9e3779b1;

/** The bucket of `hash` in a table of 2^bits heads: the top bits of the product. */
function bucketOf(hash: number, bits: number): number {
  return Math.imul(hash, FIBONACCI) >>> (32 - bits);
}

/**
 * The tracker's hash table: an Int32Array of chain heads (picked by the top bits of the hash
 * times a constant: the connection hash's low bits alone repeat a lot), chained through
 * each record's I_NEXT, newest connection first. Four bytes per bucket and nothing per entry,
 * where a Map<number, number> costs tens of bytes per connection and rehashes into fresh memory.
 * Connections of different 4-tuples share a chain; the tracker confirms a match by the full key.
 */
export class ConnectionBuckets {
  private heads: Int32Array;
  private bits = INITIAL_BITS;
  private linked = 0;

  constructor(private readonly store: ConnectionStore) {
    this.heads = new Int32Array(1 << INITIAL_BITS).fill(-1);
  }

  /** The newest connection in the chain of `hash`, or -1. */
  first(hash: number): number {
    return this.heads[bucketOf(hash, this.bits)]!;
  }

  /** The connection after `index` in its chain, or -1. */
  next(index: number): number {
    return this.store.ints(index)[intBase(index) + I_NEXT]!;
  }

  /** Put connection `index` (its I_HASH already written) at the head of its chain. */
  add(index: number, hash: number): void {
    const bucket = bucketOf(hash, this.bits);
    this.store.ints(index)[intBase(index) + I_NEXT] = this.heads[bucket]!;
    this.heads[bucket] = index;
    if (++this.linked > this.heads.length) this.grow();
  }

  /** Take connection `index` out of its chain (a newer connection took over its 4-tuple). */
  remove(index: number, hash: number): void {
    const store = this.store;
    const bucket = bucketOf(hash, this.bits);
    let previous = -1;
    let current = this.heads[bucket]!;
    while (current !== -1 && current !== index) {
      previous = current;
      current = this.next(current);
    }
    if (current === -1) return;
    const next = this.next(current);
    if (previous === -1) this.heads[bucket] = next;
    else store.ints(previous)[intBase(previous) + I_NEXT] = next;
    store.ints(current)[intBase(current) + I_NEXT] = -1;
    this.linked--;
  }

  /**
   * Double the heads. Old chain b splits into new chains 2b and 2b + 1 (one more bit of the
   * product); walking it in order and appending keeps every chain newest first.
   */
  private grow(): void {
    const store = this.store;
    const old = this.heads;
    const size = old.length;
    const bits = this.bits + 1;
    const heads = new Int32Array(size * 2);
    for (let bucket = 0; bucket < size; bucket++) {
      let lowTail = -1;
      let highTail = -1;
      let low = -1;
      let high = -1;
      for (let index = old[bucket]!; index !== -1; ) {
        const ints = store.ints(index);
        const base = intBase(index);
        const next = ints[base + I_NEXT]!;
        if ((bucketOf(ints[base + I_HASH]!, bits) & 1) === 0) {
          if (lowTail === -1) low = index;
          else store.ints(lowTail)[intBase(lowTail) + I_NEXT] = index;
          lowTail = index;
        } else {
          if (highTail === -1) high = index;
          else store.ints(highTail)[intBase(highTail) + I_NEXT] = index;
          highTail = index;
        }
        index = next;
      }
      if (lowTail !== -1) store.ints(lowTail)[intBase(lowTail) + I_NEXT] = -1;
      if (highTail !== -1) store.ints(highTail)[intBase(highTail) + I_NEXT] = -1;
      heads[2 * bucket] = low;
      heads[2 * bucket + 1] = high;
    }
    this.heads = heads;
    this.bits = bits;
  }
}
