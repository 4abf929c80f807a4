import { sequenceAdd, sequenceAfter, sequenceDelta } from '../track/seq.js';

/** What a byte-stream parser is fed, in sequence order, exactly once per byte. */
export interface StreamConsumer {
  /** The next bytes of the stream, bytes[start, end); valid only during the call. */
  data(bytes: Uint8Array, start: number, end: number): void;
  /**
   * The next `length` bytes exist on the wire but not in the capture (cut by the snaplen, or
   * a segment never captured). A parser skipping a body can step over them; one reading a
   * header cannot, and must say its results are no longer known.
   */
  gap(length: number): void;
}

/** Out-of-order bytes held per direction before the hole is declared lost (bounded memory). */
export const OUT_OF_ORDER_LIMIT = 64 * 1024;

interface PendingSegment {
  sequence: number;
  /** Declared payload length (more than bytes.length when the frame was cut). */
  length: number;
  /** A copy of the captured payload: the frame's view dies after the observer call. */
  bytes: Uint8Array;
}

/**
 * One direction of a TCP connection as an in-order byte stream. Retransmitted bytes are
 * delivered once (only what lies beyond the highest sequence number delivered), segments
 * that arrive early wait in a small sorted list until the hole before them fills, and a
 * hole that never fills (capture loss, or the list reached its limit) is passed on as a gap.
 * Only out-of-order segments are copied; in-order payload is passed as the frame's view.
 * Subclasses receive the stream in `data` and `gap` (one object per direction, not two).
 */
export abstract class OrderedStream implements StreamConsumer {
  /** The stream's start was seen (SYN), so nothing before the first byte was missed. */
  startSeen = false;
  /** Payload was seen before any SYN: the capture began mid-stream. */
  startedMidStream = false;
  private started = false;
  /** Sequence number of the next byte to deliver. */
  private next = 0;
  /** Made on the first segment that arrives early: most streams never need it. */
  private pending: PendingSegment[] | undefined;
  private pendingBytes = 0;

  abstract data(bytes: Uint8Array, start: number, end: number): void;
  abstract gap(length: number): void;

  /** A SYN: the first data byte has sequence number ISN + 1 (RFC 9293 §3.4). */
  syn(sequence: number): void {
    if (this.started) return;
    this.started = true;
    this.startSeen = true;
    this.next = sequenceAdd(sequence, 1);
  }

  /**
   * A segment's payload: `length` bytes declared from `sequence` on, of which bytes[start, end)
   * (possibly fewer when the snaplen cut the frame) are in the capture.
   */
  segment(sequence: number, length: number, bytes: Uint8Array, start: number, end: number): void {
    if (length <= 0) return;
    if (!this.started) {
      this.started = true;
      this.startedMidStream = true;
      this.next = sequence;
    }
    if (sequence === this.next && this.pending === undefined) {
      // The usual case: the next bytes, nothing waiting.
      if (end > start) this.data(bytes, start, end);
      if (length > end - start) this.gap(length - (end - start));
      this.next = sequenceAdd(sequence, length);
      return;
    }
    if (!sequenceAfter(sequenceAdd(sequence, length), this.next)) return; // every byte already delivered: a retransmission
    if (sequenceAfter(sequence, this.next)) {
      this.hold(sequence, length, bytes.slice(start, end));
      return;
    }
    this.deliver(sequence, length, bytes, start, end);
    this.drain();
  }

  /** End of capture: holes that never filled become gaps, and what waited behind them is delivered. */
  finish(): void {
    while (this.pending !== undefined && this.pending.length > 0) this.skipToFirstPending();
  }

  private hold(sequence: number, length: number, copy: Uint8Array): void {
    const segment: PendingSegment = { sequence, length, bytes: copy };
    const pending = (this.pending ??= []);
    let at = pending.length;
    while (at > 0 && sequenceAfter(pending[at - 1]!.sequence, sequence)) at--;
    pending.splice(at, 0, segment);
    this.pendingBytes += segment.bytes.length;
    while (this.pendingBytes > OUT_OF_ORDER_LIMIT && pending.length > 0) this.skipToFirstPending();
  }

  /** Declares the hole before the first waiting segment lost, then delivers what follows. */
  private skipToFirstPending(): void {
    const first = this.pending![0]!;
    const hole = sequenceDelta(first.sequence, this.next);
    if (hole > 0) {
      this.gap(hole);
      this.next = first.sequence;
    }
    this.drain();
  }

  private drain(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    while (pending.length > 0) {
      const first = pending[0]!;
      if (sequenceAfter(first.sequence, this.next)) return;
      pending.shift();
      this.pendingBytes -= first.bytes.length;
      if (sequenceAfter(sequenceAdd(first.sequence, first.length), this.next)) {
        this.deliver(first.sequence, first.length, first.bytes, 0, first.bytes.length);
      }
    }
  }

  /** Delivers the part of a segment beyond `next` (the segment starts at or before `next`). */
  private deliver(sequence: number, length: number, bytes: Uint8Array, start: number, end: number): void {
    const skip = sequenceDelta(this.next, sequence);
    const captured = end - start;
    if (skip < captured) this.data(bytes, start + skip, end);
    const missing = length - Math.max(skip, captured);
    if (missing > 0) this.gap(missing);
    this.next = sequenceAdd(sequence, length);
  }
}

/** An OrderedStream that hands its bytes to a separate consumer. */
export class DirectionStream extends OrderedStream {
  constructor(private readonly consumer: StreamConsumer) {
    super();
  }

  data(bytes: Uint8Array, start: number, end: number): void {
    this.consumer.data(bytes, start, end);
  }

  gap(length: number): void {
    this.consumer.gap(length);
  }
}
