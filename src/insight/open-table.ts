/**
 * The state of each open connection by id. Ids are dense (in order of first packet), so each
 * has a slot number in a typed array, and the states sit in a short array whose freed slots are
 * reused: memory follows the connections open at once, and a lookup is two array reads with
 * no hash table for the garbage collector to walk.
 */
export class OpenTable<T> {
  /** Slot + 1 for each id; 0 when the id has no state. */
  private slotOf = new Int32Array(1024);
  private readonly states: (T | undefined)[] = [];
  private readonly free: number[] = [];

  get(id: number): T | undefined {
    const slot = id < this.slotOf.length ? this.slotOf[id]! : 0;
    return slot === 0 ? undefined : this.states[slot - 1];
  }

  /** Adds a state for an id that has none. */
  add(id: number, state: T): void {
    if (id >= this.slotOf.length) {
      let size = this.slotOf.length;
      while (size <= id) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.slotOf);
      this.slotOf = grown;
    }
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.states.length;
      this.states.push(state);
    } else {
      this.states[slot] = state;
    }
    this.slotOf[id] = slot + 1;
  }

  delete(id: number): void {
    const slot = id < this.slotOf.length ? this.slotOf[id]! : 0;
    if (slot === 0) return;
    this.states[slot - 1] = undefined;
    this.free.push(slot - 1);
    this.slotOf[id] = 0;
  }
}
