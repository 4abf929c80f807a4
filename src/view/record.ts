/**
 * What the ladder and timeline views need, recorded during the one pass as a SegmentObserver.
 * Bounded: ladders only for the selected connections, each with at most a head and a tail of
 * lines (runs of pure ACKs or unlabelled data in one direction collapse into one line with a
 * count); timeline rows only for the first connections, each with a capped list of bursts.
 * Times are nanoseconds since the first segment of the run, so views never parse ISO strings.
 * Only numbers are kept, never the tracker's connection objects (which may be reused views).
 */
import { TcpFlag } from '../decode/constants.js';
import type { DecodedPacket } from '../decode/decoded.js';
import type { TrackedConnection } from '../track/connection.js';
import type { SegmentObserver } from '../track/observer.js';
import { sequenceAdd, sequenceAfter } from '../track/seq.js';
import type { PacketPlace } from '../track/tracker.js';
import { httpLabel } from './peek.js';

/** One line of a ladder: one packet, or a run of alike packets in one direction. */
export interface LadderStep {
  /** Nanoseconds since the connection's first packet (of the run's first packet). */
  time: number;
  /** Of the run's last packet (equal to `time` for one packet). */
  endTime: number;
  fromClient: boolean;
  /** TCP flags of the (first) packet. */
  flags: number;
  /** Payload bytes (summed over a run). */
  payloadBytes: number;
  /** `GET /index.html` or `200 OK` when the payload starts like an HTTP message. */
  http?: string;
  /** Packets on this line (> 1 for a collapsed run). */
  count: number;
  /** Record number of the (first) packet in its capture. */
  packet: number;
  /** Resends data, a SYN or a FIN already seen from this side. */
  retransmission: boolean;
  /** The connection's first FIN / first RST. */
  firstFin: boolean;
  firstRst: boolean;
  /** A run that alternated with the run on the line next to it (data one way, ACKs back). */
  interleaved: boolean;
}

export interface LadderData {
  id: number;
  /** Nanoseconds from the run's first segment to this connection's first. */
  start: number;
  /** Lines kept from the start of the connection and from its end. */
  head: LadderStep[];
  tail: LadderStep[];
  /** Packets between head and tail that were not kept. */
  omitted: number;
}

export interface TimelineBurst {
  /** Nanoseconds since the run's first segment: a client data segment after server data (or first). */
  start: number;
  /** Last data segment (either side) before the next request. */
  end: number;
}

export interface TimelineRow {
  id: number;
  /** Nanoseconds since the run's first segment. */
  start: number;
  end: number;
  /** First SYN and the SYN-ACK, when seen. */
  syn: number | null;
  synAck: number | null;
  /** The first FIN and first RST of each side. */
  clientFin: number | null;
  serverFin: number | null;
  clientRst: number | null;
  serverRst: number | null;
  bursts: TimelineBurst[];
  /** Bursts merged into a neighbour each time the cap was reached (pairwise, keeping the time spread). */
  burstsMerged: number;
}

export interface ViewData {
  ladders: LadderData[];
  timeline: TimelineRow[];
  /** Connections seen in all (timeline rows stop at a limit). */
  connections: number;
}

export interface RecorderOptions {
  /** Connection ids to draw ladders for, or 'all' (the first `ladderLimit`). */
  ladders?: readonly number[] | 'all';
  ladderLimit?: number;
  /** Also record ladders for connections 1..firstLadders (with a list in `ladders`). */
  firstLadders?: number;
  timeline?: boolean;
  timelineLimit?: number;
  /** Ladder lines kept from the start and from the end of each connection. */
  headSteps?: number;
  tailSteps?: number;
  /** Bursts kept per timeline row. */
  burstLimit?: number;
}

export const DEFAULT_LADDER_LIMIT = 50;
export const DEFAULT_TIMELINE_LIMIT = 500;

const COLLAPSIBLE_FLAGS = TcpFlag.ACK | TcpFlag.PSH;

interface SideState {
  hasSequence: boolean;
  nextSequence: number;
  synSequence: number;
  finSequence: number;
}

type RecordedStep = LadderStep & { side: 0 | 1 };

function isBulk(step: RecordedStep): boolean {
  return (step.flags & ~COLLAPSIBLE_FLAGS) === 0 && step.http === undefined && !step.retransmission;
}

/** Whether a pure ACK (payload 0) or unlabelled data from `side` continues this run. */
function joins(step: RecordedStep, side: 0 | 1, payload: number): boolean {
  return step.side === side && isBulk(step) && (step.payloadBytes > 0) === (payload > 0);
}

function stepFromEnd(record: LadderRecord, back: number): RecordedStep | undefined {
  if (back < record.tail.length) return record.tail[record.tail.length - 1 - back];
  return record.head[record.head.length - 1 - (back - record.tail.length)];
}

interface LadderRecord {
  id: number;
  /** The connection's client endpoint index, as of its latest segment (a late SYN can flip it). */
  clientSide: 0 | 1;
  /** Time of the connection's first segment. */
  base: number;
  omitted: number;
  /** Per endpoint index (0 = sender of the first packet). */
  sides: [SideState, SideState];
  sawFin: boolean;
  sawRst: boolean;
  /** Steps as recorded, with the endpoint index instead of the client flag. */
  head: RecordedStep[];
  tail: RecordedStep[];
}

/** Per endpoint index: first moment of each kind, nanoseconds since the run's first segment. */
type SideMoments = [number | null, number | null];

interface TimelineRecord {
  id: number;
  clientSide: 0 | 1;
  start: number;
  end: number;
  syn: SideMoments;
  synAck: SideMoments;
  fin: SideMoments;
  rst: SideMoments;
  bursts: TimelineBurst[];
  burstsMerged: number;
  /** Endpoint index of the last data segment, -1 before any. */
  lastDataSide: -1 | 0 | 1;
}

function newSide(): SideState {
  return { hasSequence: false, nextSequence: 0, synSequence: -1, finSequence: -1 };
}

export class ViewRecorder implements SegmentObserver {
  private readonly ladderIds: ReadonlySet<number> | 'all';
  private readonly ladderLimit: number;
  private readonly firstLadders: number;
  private readonly timelineLimit: number;
  private readonly headSteps: number;
  private readonly tailSteps: number;
  private readonly burstLimit: number;
  private readonly ladders = new Map<number, LadderRecord>();
  private readonly rows = new Map<number, TimelineRecord>();
  private baseSeconds = 0;
  private baseNanos = 0;
  private started = false;
  private maxId = 0;

  constructor(options: RecorderOptions) {
    const ladders = options.ladders ?? [];
    this.ladderIds = ladders === 'all' ? 'all' : new Set(ladders);
    this.ladderLimit = options.ladderLimit ?? DEFAULT_LADDER_LIMIT;
    this.firstLadders = options.firstLadders ?? 0;
    this.timelineLimit = options.timeline ? options.timelineLimit ?? DEFAULT_TIMELINE_LIMIT : 0;
    this.headSteps = options.headSteps ?? 120;
    this.tailSteps = options.tailSteps ?? 40;
    this.burstLimit = Math.max(2, options.burstLimit ?? 256);
  }

  private wantsLadder(id: number): boolean {
    return this.ladderIds === 'all' ? id <= this.ladderLimit : id <= this.firstLadders || this.ladderIds.has(id);
  }

  private since(seconds: number, nanos: number): number {
    return (seconds - this.baseSeconds) * 1e9 + (nanos - this.baseNanos);
  }

  segment(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket, frame: Uint8Array, place: PacketPlace): void {
    if (!this.started) {
      this.started = true;
      this.baseSeconds = place.seconds;
      this.baseNanos = place.nanos;
    }
    const id = connection.id;
    if (id > this.maxId) this.maxId = id;
    const now = this.since(place.seconds, place.nanos);
    if (id <= this.timelineLimit) this.recordBurst(connection, side, packet, now);
    if (this.wantsLadder(id)) this.recordStep(connection, side, packet, frame, place, now);
  }

  private recordBurst(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket, now: number): void {
    let row = this.rows.get(connection.id);
    if (row === undefined) {
      row = {
        id: connection.id, clientSide: 0, start: now, end: now,
        syn: [null, null], synAck: [null, null], fin: [null, null], rst: [null, null],
        bursts: [], burstsMerged: 0, lastDataSide: -1,
      };
      this.rows.set(connection.id, row);
    }
    // Numbers only: the connection object is the tracker's and may be reused for another one.
    row.clientSide = connection.clientSide;
    row.end = now;
    const flags = packet.flags;
    if (flags & TcpFlag.SYN) {
      const kind = flags & TcpFlag.ACK ? row.synAck : row.syn;
      if (kind[side] === null) kind[side] = now;
    }
    if (flags & TcpFlag.FIN && row.fin[side] === null) row.fin[side] = now;
    if (flags & TcpFlag.RST && row.rst[side] === null) row.rst[side] = now;
    if (packet.payloadLength === 0) return;
    // A request: client data after the server spoke (or the first data at all). Roles may still
    // flip on a late SYN, but a connection with data has long settled them.
    const fromClient = side === row.clientSide;
    const startsBurst = fromClient && row.lastDataSide !== side;
    row.lastDataSide = side;
    const last = row.bursts[row.bursts.length - 1];
    if (startsBurst || last === undefined) {
      if (row.bursts.length >= this.burstLimit) {
        // Full: merge neighbours pairwise, so the kept bursts still span the whole connection.
        const merged: TimelineBurst[] = [];
        for (let i = 0; i < row.bursts.length; i += 2) {
          const pair = row.bursts[i + 1];
          merged.push(pair === undefined ? row.bursts[i]! : { start: row.bursts[i]!.start, end: pair.end });
        }
        row.burstsMerged += row.bursts.length - merged.length;
        row.bursts = merged;
      }
      row.bursts.push({ start: now, end: now });
      return;
    }
    last.end = now;
  }

  private recordStep(
    connection: TrackedConnection,
    side: 0 | 1,
    packet: DecodedPacket,
    frame: Uint8Array,
    place: PacketPlace,
    now: number,
  ): void {
    let record = this.ladders.get(connection.id);
    if (record === undefined) {
      record = {
        id: connection.id,
        clientSide: 0,
        omitted: 0,
        base: now,
        sides: [newSide(), newSide()],
        sawFin: false,
        sawRst: false,
        head: [],
        tail: [],
      };
      this.ladders.set(connection.id, record);
    }
    record.clientSide = connection.clientSide;
    const flags = packet.flags;
    const fin = (flags & TcpFlag.FIN) !== 0;
    const rst = (flags & TcpFlag.RST) !== 0;
    const payload = packet.payloadLength;
    const retransmission = this.isRetransmission(record.sides[side], packet);
    const firstFin = fin && !record.sawFin;
    const firstRst = rst && !record.sawRst;
    if (fin) record.sawFin = true;
    if (rst) record.sawRst = true;
    const http = packet.capturedPayloadLength > 0
      ? httpLabel(frame, packet.payloadOffset, packet.capturedPayloadLength)
      : undefined;
    const time = now - record.base;

    // A pure ACK or data without a label joins the run on the last line when it goes the same
    // way; data also joins the data run one line up when the last line is the ACKs answering it
    // (a bulk transfer), so a long transfer stays two lines.
    if ((flags & ~COLLAPSIBLE_FLAGS) === 0 && http === undefined && !retransmission) {
      const last = stepFromEnd(record, 0);
      const beforeLast = stepFromEnd(record, 1);
      let run: RecordedStep | undefined;
      if (last !== undefined && joins(last, side, payload)) {
        run = last;
      } else if (
        payload > 0 && beforeLast !== undefined && last !== undefined &&
        last.side !== side && isBulk(last) && last.payloadBytes === 0 && joins(beforeLast, side, payload)
      ) {
        run = beforeLast;
        run.interleaved = true;
        last.interleaved = true;
      }
      if (run !== undefined) {
        run.count++;
        run.endTime = time;
        run.payloadBytes += payload;
        return;
      }
    }
    const step: RecordedStep = {
      time,
      endTime: time,
      fromClient: false,
      side,
      flags,
      payloadBytes: payload,
      count: 1,
      packet: place.packet,
      retransmission,
      firstFin,
      firstRst,
      interleaved: false,
      ...(http !== undefined ? { http } : {}),
    };
    if (record.head.length < this.headSteps) {
      record.head.push(step);
      return;
    }
    record.tail.push(step);
    if (record.tail.length > this.tailSteps) record.omitted += record.tail.shift()!.count;
  }

  /** Updates the side's sequence state; true when the segment resends what was already sent. */
  private isRetransmission(state: SideState, packet: DecodedPacket): boolean {
    const flags = packet.flags;
    const syn = (flags & TcpFlag.SYN) !== 0;
    const fin = (flags & TcpFlag.FIN) !== 0;
    if ((flags & TcpFlag.RST) !== 0) return false;
    const sequence = packet.sequence;
    const payload = packet.payloadLength;
    let again = false;
    if (syn) {
      again = state.synSequence === sequence;
      state.synSequence = sequence;
    }
    // The FIN occupies the sequence number after the payload (RFC 9293 §3.4).
    const finSequence = sequenceAdd(sequence, payload + (syn ? 1 : 0));
    if (fin) {
      if (state.finSequence === finSequence && payload === 0) again = true;
      state.finSequence = finSequence;
    }
    const end = sequenceAdd(sequence, payload + (syn ? 1 : 0) + (fin ? 1 : 0));
    if (!state.hasSequence || syn) {
      state.hasSequence = true;
      state.nextSequence = end;
      return again;
    }
    if (payload > 0 && !sequenceAfter(end, state.nextSequence)) again = true;
    if (sequenceAfter(end, state.nextSequence)) state.nextSequence = end;
    return again;
  }

  /** The recorded views as plain data, with client/server roles as finally decided. */
  finish(): ViewData {
    const ladders: LadderData[] = [];
    for (const record of [...this.ladders.values()].sort((a, b) => a.id - b.id)) {
      const clientSide = record.clientSide;
      const plain = ({ side, ...step }: RecordedStep): LadderStep => ({ ...step, fromClient: side === clientSide });
      ladders.push({ id: record.id, start: record.base, head: record.head.map(plain), tail: record.tail.map(plain), omitted: record.omitted });
    }
    const timeline: TimelineRow[] = [];
    for (const row of [...this.rows.values()].sort((a, b) => a.id - b.id)) {
      const client = row.clientSide;
      const server = client === 0 ? 1 : 0;
      timeline.push({
        id: row.id,
        start: row.start,
        end: row.end,
        syn: row.syn[client],
        synAck: row.synAck[server],
        clientFin: row.fin[client],
        serverFin: row.fin[server],
        clientRst: row.rst[client],
        serverRst: row.rst[server],
        bursts: row.bursts.map((burst) => ({ ...burst })),
        burstsMerged: row.burstsMerged,
      });
    }
    return { ladders, timeline, connections: this.maxId };
  }
}
