/**
 * What payload insight keeps of each connection that ended, until the report asks: numbers in
 * typed arrays indexed by connection id (ids are dense, in order of first packet), so 100,000
 * ended connections cost a few MB and no objects for the garbage collector to walk. The report
 * objects are built when asked for, a new one each time, so no caller can alter another's.
 */
import type { CloseSignal, RequestsEvidence, RequestsReport, TlsReport } from '../report/insight-model.js';
import type { Side } from '../track/classify.js';

/** A connection's HTTP results, in the form the parsers leave them. */
export interface RequestsSummary {
  count: number;
  known: boolean;
  lines: readonly string[] | undefined;
  responses: number;
  statuses: readonly number[] | undefined;
  closeRequestedBy: Side | null;
  clientSignal: CloseSignal | null;
  serverSignal: CloseSignal | null;
  httpVersion: string | null;
}

const ENDED = 1 << 0;
const HAS_REQUESTS = 1 << 1;
const KNOWN = 1 << 2;
const HAS_TLS = 1 << 3;
const CLOSE_BY_SHIFT = 4; // 2 bits: none, client, server
const CLIENT_SIGNAL_SHIFT = 6; // 2 bits: none, connection-close, http/1.0
const SERVER_SIGNAL_SHIFT = 8;
const VERSION_SHIFT = 10; // 4 bits: none, or 1 + the minor version digit of HTTP/1.x
const STATUS_COUNT_SHIFT = 14; // 3 bits
const TWO_BITS = 3;
const FOUR_BITS = 15;
const THREE_BITS = 7;

/** At most this many statuses are kept per connection (KEPT_PER_CONNECTION in http.ts). */
const STATUS_SLOTS = 5;

const SIDES: readonly (Side | null)[] = [null, 'client', 'server'];
const SIGNALS: readonly (CloseSignal | null)[] = [null, 'connection-close', 'http/1.0'];
const VERSIONS: readonly (string | null)[] = [null, ...Array.from({ length: 10 }, (_, minor) => `HTTP/1.${minor}`)];

function sideCode(side: Side | null): number {
  return side === null ? 0 : side === 'client' ? 1 : 2;
}

function signalCode(signal: CloseSignal | null): number {
  return signal === null ? 0 : signal === 'connection-close' ? 1 : 2;
}

function versionCode(version: string | null): number {
  if (version === null) return 0;
  const code = VERSIONS.indexOf(version);
  if (code < 0) throw new Error(`unexpected HTTP version ${version}`);
  return code;
}

/** Ids per chunk of the arrays below. */
const CHUNK_SHIFT = 12;
const CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;

/**
 * The numbers live in fixed chunks of ids, added as ids grow: doubling one array instead left the
 * old copies (half the size of the new ones) waiting for a full collection.
 */
class EndedChunk {
  readonly info = new Uint32Array(CHUNK_MASK + 1);
  /** Requests and responses, two per id (numbers beyond 32 bits stay exact). */
  readonly counts = new Float64Array(2 * (CHUNK_MASK + 1));
  readonly statuses = new Uint16Array(STATUS_SLOTS * (CHUNK_MASK + 1));
}

export class EndedConnections {
  private readonly chunks: EndedChunk[] = [];
  /** The first request lines: one string, or an array when there were several. */
  private readonly lines: (string | readonly string[] | undefined)[] = [];
  private readonly tls = new Map<number, TlsReport>();
  /** What requestsEvidence() fills and returns. */
  private readonly evidence: RequestsEvidence = { count: 0, known: false, closeSignals: { client: null, server: null } };

  has(id: number): boolean {
    // Checked here, not by reading past the end: V8 optimizes has() for reads within the array
    // and throws that code away at the first read beyond it (the first id of a new chunk).
    const at = id >>> CHUNK_SHIFT;
    const chunk = at < this.chunks.length ? this.chunks[at] : undefined;
    return chunk !== undefined && (chunk.info[id & CHUNK_MASK]! & ENDED) !== 0;
  }

  /**
   * Chunks for ids below `ids`, made ahead between input chunks (see SegmentObserver.reserve) once
   * any connection ended here: add() then finds its chunk in the array. V8 optimizes the read for
   * ids within the array, and a read past its end threw the optimized payload insight away at
   * every 4,096th id. Nothing is made for a capture no connection of which carried payload.
   */
  reserve(ids: number): void {
    if (this.chunks.length > 0) this.grow(ids);
  }

  private grow(ids: number): void {
    while (this.chunks.length << CHUNK_SHIFT < ids) this.chunks.push(new EndedChunk());
  }

  add(id: number, requests: RequestsSummary | null, tls: TlsReport | null): void {
    const chunks = this.chunks;
    if (id >>> CHUNK_SHIFT >= chunks.length) this.grow(id + 1);
    const chunk = chunks[id >>> CHUNK_SHIFT]!;
    const at = id & CHUNK_MASK;
    let info = ENDED;
    if (tls !== null) {
      info |= HAS_TLS;
      this.tls.set(id, tls);
    }
    if (requests !== null) {
      info |= HAS_REQUESTS;
      if (requests.known) info |= KNOWN;
      info |= sideCode(requests.closeRequestedBy) << CLOSE_BY_SHIFT;
      info |= signalCode(requests.clientSignal) << CLIENT_SIGNAL_SHIFT;
      info |= signalCode(requests.serverSignal) << SERVER_SIGNAL_SHIFT;
      info |= versionCode(requests.httpVersion) << VERSION_SHIFT;
      chunk.counts[2 * at] = requests.count;
      chunk.counts[2 * at + 1] = requests.responses;
      const statuses = requests.statuses;
      if (statuses !== undefined) {
        const kept = Math.min(statuses.length, STATUS_SLOTS);
        for (let i = 0; i < kept; i++) chunk.statuses[STATUS_SLOTS * at + i] = statuses[i]!;
        info |= kept << STATUS_COUNT_SHIFT;
      }
      const lines = requests.lines;
      if (lines !== undefined && lines.length > 0) {
        while (this.lines.length < id) this.lines.push(undefined);
        this.lines[id] = lines.length === 1 ? lines[0]! : lines.slice();
      }
    }
    chunk.info[at] = info;
  }

  requests(id: number): RequestsReport | null {
    const chunk = this.chunks[id >>> CHUNK_SHIFT];
    const at = id & CHUNK_MASK;
    const info = chunk === undefined ? 0 : chunk.info[at]!;
    if ((info & HAS_REQUESTS) === 0) return null;
    const kept = this.lines[id];
    const statusCount = (info >>> STATUS_COUNT_SHIFT) & THREE_BITS;
    const statuses: number[] = [];
    for (let i = 0; i < statusCount; i++) statuses.push(chunk!.statuses[STATUS_SLOTS * at + i]!);
    return {
      count: chunk!.counts[2 * at]!,
      known: (info & KNOWN) !== 0,
      lines: kept === undefined ? [] : typeof kept === 'string' ? [kept] : [...kept],
      responses: chunk!.counts[2 * at + 1]!,
      statuses,
      closeRequestedBy: SIDES[(info >>> CLOSE_BY_SHIFT) & TWO_BITS]!,
      closeSignals: {
        client: SIGNALS[(info >>> CLIENT_SIGNAL_SHIFT) & TWO_BITS]!,
        server: SIGNALS[(info >>> SERVER_SIGNAL_SHIFT) & TWO_BITS]!,
      },
      httpVersion: VERSIONS[(info >>> VERSION_SHIFT) & FOUR_BITS]!,
    };
  }

  /**
   * requests(id) as far as the verdicts read it, in one reused object: the summary walk reads
   * it for every connection, and a busy connection's lines are hundreds of strings to copy.
   */
  requestsEvidence(id: number): RequestsEvidence | null {
    const chunk = this.chunks[id >>> CHUNK_SHIFT];
    const at = id & CHUNK_MASK;
    const info = chunk === undefined ? 0 : chunk.info[at]!;
    if ((info & HAS_REQUESTS) === 0) return null;
    const evidence = this.evidence;
    evidence.count = chunk!.counts[2 * at]!;
    evidence.known = (info & KNOWN) !== 0;
    evidence.closeSignals.client = SIGNALS[(info >>> CLIENT_SIGNAL_SHIFT) & TWO_BITS]!;
    evidence.closeSignals.server = SIGNALS[(info >>> SERVER_SIGNAL_SHIFT) & TWO_BITS]!;
    return evidence;
  }

  tlsOf(id: number): TlsReport | null {
    const tls = this.tls.get(id);
    return tls === undefined ? null : { handshakes: tls.handshakes, sni: tls.sni, resumed: tls.resumed };
  }
}
