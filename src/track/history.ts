import { TcpFlag } from '../decode/constants.js';
import {
  EndpointBit,
  HistorySeen as Seen,
  IE_BITS,
  IE_GAPS,
  IE_LAST_FIN_SEQUENCE,
  IE_LAST_RST_SEQUENCE,
  IE_LAST_SYN_SEQUENCE,
  IE_RETRANSMISSIONS,
  IE_ZERO_WINDOWS,
} from './store.js';

/**
 * Zeek's conn.log `history` letters (base/protocols/conn/main.zeek): uppercase for the
 * originator (client), lowercase for the responder.
 *   s SYN without ACK · h SYN+ACK · a pure ACK · d payload · f FIN · r RST
 *   t retransmitted payload · w zero window · g content gap · i inconsistent (FIN+RST)
 *   q multi-flag (SYN with FIN or RST) · ^ roles flipped against the first packet's direction
 * a, d, i, q are recorded once per direction; s, h, f, r again when the sequence number differs
 * from the last packet of that kind; t, w, g at counts 1, 10, 100, ... (logarithmic).
 */

/**
 * The letters one segment adds, as bits in the order Zeek writes them (at most one of q and i,
 * of s and h, of d and a), plus CLIENT for uppercase: a number instead of a string per segment.
 */
const Letter = { q: 1, i: 2, s: 4, h: 8, f: 16, r: 32, d: 64, a: 128, t: 256, g: 512, w: 1024 } as const;
const LETTER_ORDER = Object.entries(Letter) as [string, number][];
const CLIENT = 2048;

/** Text of each letter code, made on first use (a capture meets a few dozen codes). */
const letterTexts: (string | undefined)[] = [];

/** The text of a code from historyLetters ('' for 0). */
export function lettersText(code: number): string {
  let text = letterTexts[code];
  if (text === undefined) {
    text = '';
    for (const [letter, bit] of LETTER_ORDER) if ((code & bit) !== 0) text += (code & CLIENT) !== 0 ? letter.toUpperCase() : letter;
    letterTexts[code] = text;
  }
  return text;
}

function isPowerOfTen(count: number): boolean {
  while (count >= 10 && count % 10 === 0) count /= 10;
  return count === 1;
}

/**
 * True when the endpoint at `at` already recorded a `kind` (s/h, f, r) letter for `sequence`
 * (its 32 bits as a signed integer, as the record holds them), else remembers `sequence` as its
 * last one of that kind.
 */
function sameAsLast(ints: Int32Array, at: number, bit: number, field: number, sequence: number): boolean {
  const bits = ints[at + IE_BITS]!;
  if ((bits & bit) !== 0 && ints[at + field] === sequence) return true;
  ints[at + IE_BITS] = bits | bit;
  ints[at + field] = sequence;
  return false;
}

/**
 * The letters one segment adds (a code for lettersText, 0 for none), for the sending endpoint
 * whose int record starts at `at` in `ints` (its counters already updated for this segment).
 * `sequence` is the segment's sequence number `| 0`: an unsigned one past 2^31 would be a heap
 * number, made anew for every segment passed to this call (half of all sequence numbers).
 */
export function historyLetters(
  ints: Int32Array,
  at: number,
  isClient: boolean,
  flags: number,
  sequence: number,
  payloadLength: number,
  retransmitted: boolean,
  gap: boolean,
  zeroWindow: boolean,
): number {
  const seenAt = at + IE_BITS;
  // Most segments of a connection add nothing: data or a pure ACK once its letter is recorded.
  if ((flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) === 0 && !retransmitted && !gap && !zeroWindow) {
    const seen = ints[seenAt]!;
    if (payloadLength > 0 ? (seen & Seen.d) !== 0 : (flags & TcpFlag.ACK) === 0 || (seen & Seen.a) !== 0) return 0;
  }
  let out = 0;
  const syn = (flags & TcpFlag.SYN) !== 0;
  const fin = (flags & TcpFlag.FIN) !== 0;
  const rst = (flags & TcpFlag.RST) !== 0;
  const ack = (flags & TcpFlag.ACK) !== 0;
  if (syn && (fin || rst)) {
    if (!(ints[seenAt]! & Seen.q)) {
      ints[seenAt] = ints[seenAt]! | Seen.q;
      out |= Letter.q;
    }
  } else if (fin && rst && !(ints[seenAt]! & Seen.i)) {
    ints[seenAt] = ints[seenAt]! | Seen.i;
    out |= Letter.i;
  }
  if (syn && !sameAsLast(ints, at, EndpointBit.HasLastSyn, IE_LAST_SYN_SEQUENCE, sequence)) {
    out |= ack ? Letter.h : Letter.s;
  }
  if (fin && !sameAsLast(ints, at, EndpointBit.HasLastFin, IE_LAST_FIN_SEQUENCE, sequence)) {
    out |= Letter.f;
  }
  if (rst && !sameAsLast(ints, at, EndpointBit.HasLastRst, IE_LAST_RST_SEQUENCE, sequence)) {
    out |= Letter.r;
  }
  if (payloadLength > 0) {
    if (!(ints[seenAt]! & Seen.d)) {
      ints[seenAt] = ints[seenAt]! | Seen.d;
      out |= Letter.d;
    }
  } else if (ack && !syn && !fin && !rst && !(ints[seenAt]! & Seen.a)) {
    ints[seenAt] = ints[seenAt]! | Seen.a;
    out |= Letter.a;
  }
  if (retransmitted && isPowerOfTen(ints[at + IE_RETRANSMISSIONS]!)) out |= Letter.t;
  if (gap && isPowerOfTen(ints[at + IE_GAPS]!)) out |= Letter.g;
  if (zeroWindow && isPowerOfTen(ints[at + IE_ZERO_WINDOWS]!)) out |= Letter.w;
  return out !== 0 && isClient ? out | CLIENT : out;
}

/** Distinct histories shared at most; past it, new ones are built as plain concatenations. */
const SHARED_HISTORY_LIMIT = 1 << 16;

/**
 * History strings shared between connections. A string grown by `+=` keeps a node per append
 * (~32 bytes each) for as long as its connection is tracked, and most connections of a capture
 * end with one of a few histories (`ShADadFf`). Appending through a table of known
 * (history, letters) → history steps makes equal histories one string.
 */
export class HistoryStrings {
  private readonly steps = new Map<string, Map<number, string>>();
  private size = 0;

  /** `history` followed by the letters of `code` (from historyLetters, not 0). */
  append(history: string, code: number): string {
    let after = this.steps.get(history);
    const known = after?.get(code);
    if (known !== undefined) return known;
    const joined = history + lettersText(code);
    if (this.size >= SHARED_HISTORY_LIMIT) return joined;
    if (after === undefined) this.steps.set(history, (after = new Map()));
    after.set(code, joined);
    this.size++;
    return joined;
  }
}
