/** 2^32 / golden ratio: multiplying spreads every input bit into the top bits (Fibonacci hashing). */
const FIBONACCI = 0x9e3779b1;
const INITIAL_BITS = 12;
/** A slot's index word: 0 for never used, TOMBSTONE for a connection taken out. */
const EMPTY = 0;
const TOMBSTONE = -1;

/** The first slot of `hash` in a table of 2^bits slots: the top bits of the product. */
function slotOf(hash: number, bits: number): number {
  return Math.imul(hash, FIBONACCI) >>> (32 - bits);
}

/**
 * The tracker's hash table: open addressing with linear probing in one Int32Array of slots,
 * each the connection hash and the connection's index plus one. A lookup compares hashes in the
 * table and reads a connection's record only when its hash matches, and doubling the table
 * rehashes the table alone: chains through the records (the first design) read a record for
 * every entry passed over, and rehashing walked every record, ~25 ms on 100k connections.
 * At most half the slots are in use: ~16-32 bytes per connection. Connections of different
 * 4-tuples can share a hash; the tracker confirms a match by the full key.
 */
export class ConnectionHashTable {
  private slots = new Int32Array(2 << INITIAL_BITS);
  private bits = INITIAL_BITS;
  /** Slots in use or taken out (a taken-out slot still lengthens probes until the next doubling). */
  private filled = 0;

  /**
   * The first slot holding `hash` after the slot `after` (-1: the first of all), or -1: a cursor
   * for indexAt() and find(). One call for the first slot and the next: a separate call for the
   * next one runs only when two connections share a hash, long after the tracker is optimized,
   * and V8 then throws the optimized code away for want of feedback on that call (both starting
   * slots are computed on every call for the same reason).
   */
  find(hash: number, after: number): number {
    const bits = this.bits;
    const home = slotOf(hash, bits);
    const next = (after + 1) & ((1 << bits) - 1);
    return this.scan(hash, after === -1 ? home : next);
  }

  /** Room for `more` connections without growing in add() (see ConnectionStore.reserve). */
  reserve(more: number): void {
    while (2 * (this.filled + more) > 1 << this.bits) this.grow();
  }

  /** The connection index in the slot `cursor`. */
  indexAt(cursor: number): number {
    return this.slots[2 * cursor + 1]! - 1;
  }

  /** Adds connection `index` under `hash`. */
  add(index: number, hash: number): void {
    if (2 * (this.filled + 1) > 1 << this.bits) this.grow();
    this.filled++;
    this.put(this.slots, this.bits, hash, index + 1);
  }

  /** Takes connection `index` out (a newer connection took over its 4-tuple). */
  remove(index: number, hash: number): void {
    const slots = this.slots;
    const mask = (1 << this.bits) - 1;
    for (let slot = slotOf(hash, this.bits); ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1]!;
      if (entry === EMPTY) return;
      if (entry === index + 1) {
        slots[2 * slot + 1] = TOMBSTONE;
        return;
      }
    }
  }

  private scan(hash: number, from: number): number {
    const slots = this.slots;
    const mask = (1 << this.bits) - 1;
    for (let slot = from; ; slot = (slot + 1) & mask) {
      const entry = slots[2 * slot + 1]!;
      if (entry === EMPTY) return -1;
      if (entry !== TOMBSTONE && slots[2 * slot] === hash) return slot;
    }
  }

  private put(slots: Int32Array, bits: number, hash: number, entry: number): void {
    const mask = (1 << bits) - 1;
    let slot = slotOf(hash, bits);
    while (slots[2 * slot + 1] !== EMPTY) slot = (slot + 1) & mask;
    slots[2 * slot] = hash;
    slots[2 * slot + 1] = entry;
  }

  /** Twice the slots, the connections put in again, taken-out slots dropped. */
  private grow(): void {
    const old = this.slots;
    const bits = this.bits + 1;
    const slots = new Int32Array(2 << bits);
    let filled = 0;
    for (let at = 0; at < old.length; at += 2) {
      const entry = old[at + 1]!;
      if (entry === EMPTY || entry === TOMBSTONE) continue;
      this.put(slots, bits, old[at]!, entry);
      filled++;
    }
    this.slots = slots;
    this.bits = bits;
    this.filled = filled;
  }
}
