import { openCapture } from './capture/open.js';
import type { CaptureReader, Frame } from './capture/types.js';
import { createDecodedPacket, DecodeStatus, type DecodedPacket } from './decode/decoded.js';
import { decodePacket } from './decode/packet.js';
import { PayloadInsight } from './insight/payload.js';
import { buildReport, type ConnectionInsight } from './report/build.js';
import type { CaptureReport, IssueSummary, Report } from './report/model.js';
import { createPacketFilter, type PacketFilter } from './track/filter.js';
import type { SegmentObserver } from './track/observer.js';
import type { TrackedConnection } from './track/connection.js';
import { ConnectionTracker, type PacketPlace } from './track/tracker.js';

/** A capture: a file path (`-` for stdin), the bytes of one, or a readable stream of one. */
export type CaptureInput = string | Uint8Array | NodeJS.ReadableStream;

export interface AnalyzeProgress {
  bytesRead: number;
  /** Sum of file sizes when all are known, else undefined. */
  totalBytes: number | undefined;
  packets: number;
  connections: number;
}

export interface AnalyzeOptions {
  /** Keep TCP segments with either port in this list (none = all TCP). */
  ports?: readonly number[];
  /** Keep TCP segments with either address in this list (none = all). */
  hosts?: readonly string[];
  /** Put VLAN ids in the connection key (default off, as tshark and Zeek). */
  vlanAware?: boolean;
  /** Read size in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Called every `progressEvery` packets and once at the end. */
  onProgress?: (progress: AnalyzeProgress) => void;
  progressEvery?: number;
  /** Extra stages that see every tracked segment (see SegmentObserver). */
  observers?: readonly SegmentObserver[];
}

/** Per-capture counters, filled on the hot path and turned into a CaptureReport at the end. */
class CaptureCounters {
  packets = 0;
  tcpPackets = 0;
  readonly skipped = { unknownLinkType: 0, nonIp: 0, nonTcp: 0, fragments: 0, filteredOut: 0 };
  readonly issues = new Map<string, IssueSummary>();
  /** Server-side (lower) port of segments the filter left out, to explain an empty result. */
  readonly filteredPorts = new Map<number, number>();

  recordFilteredOut(decoded: DecodedPacket): void {
    this.skipped.filteredOut++;
    const port = Math.min(decoded.sourcePort, decoded.destinationPort);
    this.filteredPorts.set(port, (this.filteredPorts.get(port) ?? 0) + 1);
  }

  recordSkip(decoded: DecodedPacket): void {
    switch (decoded.skip) {
      case 'unknown-link-type': this.skipped.unknownLinkType++; break;
      case 'non-ip': this.skipped.nonIp++; break;
      case 'non-tcp': this.skipped.nonTcp++; break;
      case 'fragment': this.skipped.fragments++; break;
    }
  }

  recordIssue(decoded: DecodedPacket, frame: Frame): void {
    const key = `${decoded.issueKind}/${decoded.issueLayer}/${decoded.issueReason}`;
    const known = this.issues.get(key);
    if (known) {
      known.count++;
      return;
    }
    const issue: IssueSummary = {
      kind: decoded.issueKind,
      layer: decoded.issueLayer,
      reason: decoded.issueReason,
      count: 1,
      firstPacket: frame.number,
      firstOffset: frame.fileOffset,
    };
    if (decoded.issueKind === 'truncated') {
      issue.needed = decoded.issueNeeded;
      issue.available = decoded.issueAvailable;
    }
    this.issues.set(key, issue);
  }

  toReport(reader: CaptureReader): CaptureReport {
    const truncation = reader.truncated;
    return {
      path: reader.path,
      format: reader.format,
      linkTypes: [...reader.linkTypes],
      packets: this.packets,
      tcpPackets: this.tcpPackets,
      truncated: truncation !== undefined,
      truncation: truncation
        ? { offset: truncation.offset, needed: truncation.needed, available: truncation.available, message: truncation.message, kind: truncation.kind ?? 'truncated' }
        : null,
      issues: [...this.issues.values()],
      skipped: { ...this.skipped },
      filteredOutPorts: [...this.filteredPorts]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, 10)
        .map(([port, packets]) => ({ port, packets })),
      warnings: reader.warnings.map((w) => `offset ${w.offset}: ${w.message}`),
    };
  }
}

/** The one pass: frames → decode → filter → track. Nothing is kept per packet. */
class Pipeline {
  private readonly decoded = createDecodedPacket();
  private readonly place: PacketPlace = { capture: 0, packet: 0, seconds: 0, nanos: 0, precision: 0 };
  private handled = 0;

  constructor(
    readonly tracker: ConnectionTracker,
    private readonly filter: PacketFilter,
    private readonly counters: readonly CaptureCounters[],
    private readonly progress: (() => void) | undefined,
    private readonly progressEvery: number,
  ) {}

  handle(frame: Frame, capture: number): void {
    const counters = this.counters[capture]!;
    counters.packets++;
    const decoded = this.decoded;
    const chunk = frame.chunk;
    const status = decodePacket(chunk, frame.linkType, decoded, frame.dataOffset, frame.dataLength);
    if (status === DecodeStatus.Tcp) {
      counters.tcpPackets++;
      if (this.filter.matches(decoded)) {
        const place = this.place;
        place.capture = capture;
        place.packet = frame.number;
        place.seconds = frame.seconds;
        place.nanos = frame.nanos;
        place.precision = frame.precision;
        this.tracker.observe(decoded, place, chunk);
      } else {
        counters.recordFilteredOut(decoded);
      }
    } else if (status === DecodeStatus.Skipped) {
      counters.recordSkip(decoded);
    } else {
      counters.recordIssue(decoded, frame);
    }
    if (this.progress !== undefined && ++this.handled % this.progressEvery === 0) this.progress();
  }
}

async function refill(reader: CaptureReader, tracker: ConnectionTracker): Promise<Frame | undefined> {
  while (await reader.fill()) {
    tracker.reserve();
    const frame = reader.next();
    if (frame !== undefined) return frame;
  }
  return undefined;
}

async function runOne(reader: CaptureReader, pipeline: Pipeline): Promise<void> {
  for (;;) {
    // The tracker grows between chunks, not inside the per-packet path (ConnectionStore.reserve).
    pipeline.tracker.reserve();
    let frame: Frame | undefined;
    while ((frame = reader.next()) !== undefined) pipeline.handle(frame, 0);
    if (!(await reader.fill())) return;
  }
}

function before(a: Frame, b: Frame): boolean {
  return a.seconds < b.seconds || (a.seconds === b.seconds && a.nanos < b.nanos);
}

/**
 * Several files (tcpdump -C/-G rotation) are one capture: merge by timestamp, as mergecap
 * does, holding one frame per file, so a connection spanning two files stays one connection.
 */
async function runMerged(readers: readonly CaptureReader[], pipeline: Pipeline): Promise<void> {
  const tracker = pipeline.tracker;
  tracker.reserve();
  const heads: (Frame | undefined)[] = [];
  for (const reader of readers) heads.push(reader.next() ?? (await refill(reader, tracker)));
  for (;;) {
    let pick = -1;
    for (let i = 0; i < heads.length; i++) {
      const head = heads[i];
      if (head !== undefined && (pick === -1 || before(head, heads[pick]!))) pick = i;
    }
    if (pick === -1) return;
    pipeline.handle(heads[pick]!, pick);
    const reader = readers[pick]!;
    heads[pick] = reader.next() ?? (await refill(reader, tracker));
  }
}

/** What the one pass leaves: per-capture counters, the tracked connections, the filter. */
export interface TrackedAnalysis {
  captures: CaptureReport[];
  /** One view object per connection, created on first read. */
  readonly connections: readonly TrackedConnection[];
  /** The number of connections, and each through one reused view (valid until the next call). */
  connectionCount: number;
  connectionAt(index: number): TrackedConnection;
  /** Every tracked packet was timestamped at or after the one before it (so no duration is negative). */
  inTimeOrder: boolean;
  filter: { ports: readonly number[]; hosts: readonly string[] };
  /** What payload insight learned per connection (requests, TLS). */
  insight: ConnectionInsight;
}

/**
 * Analyses one capture, or several as one time-ordered capture, and returns the report
 * (the same data `synfin --json` prints). Throws CaptureFormatError when an input is not a
 * readable capture; damaged packets and a file cut short are reported, not thrown.
 */
export async function analyze(input: CaptureInput | readonly CaptureInput[], options: AnalyzeOptions = {}): Promise<Report> {
  const { captures, connections, filter, insight } = await analyzeTracked(input, options);
  return buildReport(captures, connections, filter, insight);
}

/**
 * The same pass as analyze(), stopping before the report is built: for renderers that turn
 * connections into text one at a time (`--json` on captures with millions of connections).
 */
export async function analyzeTracked(input: CaptureInput | readonly CaptureInput[], options: AnalyzeOptions = {}): Promise<TrackedAnalysis> {
  const inputs: readonly CaptureInput[] = Array.isArray(input) ? input : [input as CaptureInput];
  if (inputs.length === 0) throw new RangeError('analyze() needs at least one capture');
  const filter = createPacketFilter(options.ports, options.hosts);
  const readers: CaptureReader[] = [];
  try {
    for (const one of inputs) {
      readers.push(await openCapture(one, options.chunkSize !== undefined ? { chunkSize: options.chunkSize } : {}));
    }
    const insight = new PayloadInsight();
    const tracker = new ConnectionTracker({
      vlanAware: options.vlanAware ?? false,
      serverPorts: options.ports ?? [],
      observers: [insight, ...(options.observers ?? [])],
    });
    const counters = readers.map(() => new CaptureCounters());
    const onProgress = options.onProgress;
    const report = onProgress
      ? () => {
          let bytesRead = 0;
          let totalBytes: number | undefined = 0;
          let packets = 0;
          for (let i = 0; i < readers.length; i++) {
            const reader = readers[i]!;
            bytesRead += reader.bytesRead;
            totalBytes = totalBytes === undefined || reader.totalBytes === undefined ? undefined : totalBytes + reader.totalBytes;
            packets += counters[i]!.packets;
          }
          onProgress({ bytesRead, totalBytes, packets, connections: tracker.connectionCount });
        }
      : undefined;
    const pipeline = new Pipeline(tracker, filter, counters, report, options.progressEvery ?? 65_536);
    if (readers.length === 1) await runOne(readers[0]!, pipeline);
    else await runMerged(readers, pipeline);
    report?.();
    return {
      captures: readers.map((reader, i) => counters[i]!.toReport(reader)),
      get connections() {
        return tracker.finish();
      },
      connectionCount: tracker.connectionCount,
      connectionAt: (index: number) => tracker.connectionAt(index),
      inTimeOrder: tracker.inTimeOrder,
      filter,
      insight,
    };
  } finally {
    await Promise.all(readers.map((reader) => reader.close()));
  }
}
