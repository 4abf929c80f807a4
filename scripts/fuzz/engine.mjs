// @ts-check
/**
 * Mutation fuzzing over real captures: cut them, flip bits and bytes in their headers, give records
 * absurd lengths, compress and cut them, and check what synfin says against what the undamaged file
 * says. Shared by `npm run fuzz` (on dist/) and the seeded pass in the test suite (on src/), so
 * the library under test comes in as `deps`.
 *
 * The invariants:
 * - nothing but a CaptureFormatError is ever thrown, and only when the file header is damaged;
 * - every whole record before the damage is still counted (packets and TCP packets of a cut file
 *   equal those of the records wholly before the cut; after a header flip, at least those, and
 *   every one of them when only bytes that do not frame records changed);
 * - reading stops where the damage is, and says so with the byte offset (and the packet number);
 * - an absurd record or block length stops reading at that record, as `malformed`;
 * - several damaged files read as one capture count what each counts alone;
 * - the report is consistent (counts add up) and JSON-safe; renderers and notes do not throw.
 */

/**
 * @typedef {object} Deps
 * @property {(input: any, options?: any) => Promise<any>} analyze
 * @property {(input: any, options?: any) => Promise<any>} openCapture
 * @property {new (...args: any[]) => Error} CaptureFormatError
 * @property {(bytes: Uint8Array, linkType: number, out: any) => number} decodePacket
 * @property {() => any} createDecodedPacket
 * @property {{ Tcp: number }} DecodeStatus
 * @property {(report: any) => string} renderTable
 * @property {(report: any) => string} renderJson
 * @property {(report: any) => string[]} captureNotes
 * @property {(bytes: Uint8Array) => Uint8Array} gzip
 */

/**
 * @typedef {object} Record
 * @property {number} offset  where the record (pcap record header / pcapng block) starts
 * @property {number} end     where it ends
 * @property {number} fixed   length of its fixed header fields (the part worth mutating)
 * @property {boolean} packet it carries a packet (pcap record; pcapng EPB, SPB, PB)
 * @property {number} lengthAt offset of its length field (pcap incl_len, pcapng block length)
 * @property {boolean} littleEndian
 * @property {number} type    pcapng block type (-1 for a pcap record)
 */

/**
 * @typedef {object} Profile
 * @property {string} name
 * @property {Uint8Array} bytes
 * @property {'pcap' | 'pcapng'} format
 * @property {number} headerEnd end of the file header (pcap) or of the first section header block
 * @property {Record[]} records every whole record after the file header, in file order
 * @property {number[]} frameEnds end of the record of each frame the undamaged file yields
 * @property {boolean[]} frameTcp whether that frame decodes as TCP
 * @property {{ number: number, fileOffset: number, seconds: number, nanos: number, data: string }[]} frames
 * @property {number} stopAt offset after which the undamaged file itself is not framed (Infinity if read to the end)
 * @property {{ offset: number, kind: string } | null} stop where and why the undamaged file's reading stopped early
 * @property {Uint8Array | undefined} gzipped
 */

export const PCAP_HEADER = 24;
const PCAP_RECORD_HEADER = 16;
const SHB = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The readers' MAX_RECORD_LENGTH (64 MiB): longer is absurd. */
export const MAX_RECORD_LENGTH = 64 * 1024 * 1024;

// ─── randomness ─────────────────────────────────────────────────────────────────────────────

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    /** Integer in [0, n). */
    int: (n) => Math.floor(next() * n),
    /** @template T @param {readonly T[]} items @returns {T} */
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** A seed for case `index` of a run seeded with `seed` (so any case can be replayed alone). */
export function caseSeed(seed, index) {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ─── framing oracle ─────────────────────────────────────────────────────────────────────────

/**
 * Where the records of an undamaged capture start and end, found independently of the readers
 * under test (the specs are simple enough to walk twice). Stops at the first record that does not fit.
 * @param {Uint8Array} bytes
 */
export function frameCapture(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  /** @type {Record[]} */
  const records = [];
  if (bytes.length < 4) return undefined;
  const magic = view.getUint32(0, false);
  if (magic === 0xa1b2c3d4 || magic === 0xd4c3b2a1 || magic === 0xa1b23c4d || magic === 0x4d3cb2a1) {
    const littleEndian = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    let offset = PCAP_HEADER;
    while (offset + PCAP_RECORD_HEADER <= bytes.length) {
      const end = offset + PCAP_RECORD_HEADER + view.getUint32(offset + 8, littleEndian);
      if (end > bytes.length) break;
      records.push({ offset, end, fixed: PCAP_RECORD_HEADER, packet: true, lengthAt: offset + 8, littleEndian, type: -1 });
      offset = end;
    }
    return { format: /** @type {const} */ ('pcap'), headerEnd: PCAP_HEADER, records };
  }
  if (magic !== SHB) return undefined;
  let littleEndian = true;
  let offset = 0;
  let headerEnd = -1;
  while (offset + 12 <= bytes.length) {
    let type = view.getUint32(offset, littleEndian);
    if (view.getUint32(offset, false) === SHB) {
      type = SHB;
      if (view.getUint32(offset + 8, true) === BYTE_ORDER_MAGIC) littleEndian = true;
      else if (view.getUint32(offset + 8, false) === BYTE_ORDER_MAGIC) littleEndian = false;
      else break;
    }
    const length = view.getUint32(offset + 4, littleEndian);
    if (length < 12 || length % 4 !== 0 || offset + length > bytes.length) break;
    const end = offset + length;
    if (headerEnd < 0) {
      headerEnd = end;
    } else {
      const fixed = type === 6 || type === 2 ? 28 : type === 3 ? 12 : type === 1 ? 16 : type === SHB ? 24 : 8;
      records.push({ offset, end, fixed: Math.min(fixed, length), packet: type === 6 || type === 2 || type === 3, lengthAt: offset + 4, littleEndian, type });
    }
    offset = end;
  }
  if (headerEnd < 0) return undefined;
  return { format: /** @type {const} */ ('pcapng'), headerEnd, records };
}

// ─── the undamaged file ─────────────────────────────────────────────────────────────────────

/**
 * What the undamaged file gives: its framing, and for every frame the end of its record and
 * whether it is TCP.
 * @param {string} name @param {Uint8Array} bytes @param {Deps} deps
 * @returns {Promise<Profile | undefined>}
 */
export async function profileCapture(name, bytes, deps) {
  const framing = frameCapture(bytes);
  if (framing === undefined) return undefined;
  const ends = new Map(framing.records.map((r) => [r.offset, r.end]));
  const reader = await deps.openCapture(bytes, { path: name });
  const out = deps.createDecodedPacket();
  /** @type {number[]} */ const frameEnds = [];
  /** @type {boolean[]} */ const frameTcp = [];
  /** @type {Profile['frames']} */ const frames = [];
  try {
    for (;;) {
      let frame;
      while ((frame = reader.next()) !== undefined) {
        const end = ends.get(frame.fileOffset);
        if (end === undefined) throw new Error(`${name}: frame ${frame.number} at ${frame.fileOffset} is not at a record start`);
        frameEnds.push(end);
        frameTcp.push(deps.decodePacket(frame.data, frame.linkType, out) === deps.DecodeStatus.Tcp);
        frames.push(frameCopy(frame));
      }
      if (!(await reader.fill())) break;
    }
  } finally {
    await reader.close();
  }
  const stopAt = reader.truncated?.kind === 'malformed' ? reader.truncated.offset : Infinity;
  const stop = reader.truncated ? { offset: reader.truncated.offset, kind: reader.truncated.kind ?? 'truncated' } : null;
  return { name, bytes, ...framing, frameEnds, frameTcp, frames, stopAt, stop, gzipped: undefined };
}

function frameCopy(frame) {
  return { number: frame.number, fileOffset: frame.fileOffset, seconds: frame.seconds, nanos: frame.nanos, data: Buffer.from(frame.data).toString('hex') };
}

/** Frames wholly before `offset` in the undamaged file: how many, and how many are TCP. */
function framesBefore(profile, offset) {
  let packets = 0;
  let tcp = 0;
  for (let i = 0; i < profile.frameEnds.length && profile.frameEnds[i] <= offset; i++) {
    packets++;
    if (profile.frameTcp[i]) tcp++;
  }
  return { packets, tcp };
}

/** Packet records (yielded or not) that start before `offset`: the next one's number is this + 1. */
function packetRecordsBefore(profile, offset) {
  return profile.records.filter((r) => r.packet && r.offset < offset).length;
}

// ─── report invariants ──────────────────────────────────────────────────────────────────────

/** Every number finite, no undefined, no bigint: the report survives JSON unchanged. */
function jsonSafe(value, path, problems) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push(`${path} is ${value}`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => jsonSafe(item, `${path}[${i}]`, problems));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) jsonSafe(item, `${path}.${key}`, problems);
    return;
  }
  problems.push(`${path} is a ${typeof value}`);
}

/**
 * What holds for any report of one capture, damaged or not.
 * @param {any} report @param {number | undefined} size input size when the offsets are file offsets
 * @param {Deps} deps
 * @returns {string[]} what is wrong (empty when all holds)
 */
export function checkReport(report, size, deps, render = true) {
  const problems = [];
  jsonSafe(report, 'report', problems);
  const capture = report.captures[0];
  const { skipped } = capture;
  const issues = capture.issues.reduce((sum, issue) => sum + issue.count, 0);
  const accounted = capture.tcpPackets + skipped.unknownLinkType + skipped.nonIp + skipped.nonTcp + skipped.fragments + issues;
  if (accounted !== capture.packets) problems.push(`packets ${capture.packets}, but TCP + skipped + issues = ${accounted}`);
  if (report.summary.packets + skipped.filteredOut !== capture.tcpPackets) {
    problems.push(`TCP packets ${capture.tcpPackets}, but tracked ${report.summary.packets} + filtered out ${skipped.filteredOut}`);
  }
  report.connections.forEach((c, i) => {
    if (c.id !== i + 1) problems.push(`connection ${i + 1} has id ${c.id}`);
    if (c.packets.client + c.packets.server < 1) problems.push(`connection ${c.id} has no packets`);
    // pcapng numbers skipped packet blocks too (record numbers stay file positions), so only pcap has an upper bound.
    if (c.firstPacket.packet < 1 || (capture.format === 'pcap' && c.firstPacket.packet > capture.packets)) problems.push(`connection ${c.id} starts at packet ${c.firstPacket.packet}`);
  });
  for (const issue of capture.issues) {
    if (issue.count < 1 || issue.firstPacket < 1 || (capture.format === 'pcap' && issue.firstPacket > capture.packets)) {
      problems.push(`issue ${issue.reason}: count ${issue.count}, first packet ${issue.firstPacket}`);
    }
    if (size !== undefined && (issue.firstOffset < 0 || issue.firstOffset >= size)) problems.push(`issue ${issue.reason} at offset ${issue.firstOffset} of ${size}`);
  }
  if (capture.truncated !== (capture.truncation !== null)) problems.push('truncated and truncation disagree');
  const t = capture.truncation;
  if (t !== null) {
    if (!t.message.includes(`offset ${t.offset}`)) problems.push(`truncation message does not name its offset ${t.offset}: ${t.message}`);
    if (size !== undefined && t.offset > size) problems.push(`truncation offset ${t.offset} beyond the input (${size})`);
  }
  const lines = [...capture.warnings, ...(t ? [t.message] : [])];
  try {
    // The table is the slowest part of a run on a small input; callers that check thousands of
    // near-identical reports render a sample.
    if (render) deps.renderTable(report);
    deps.renderJson(report);
    lines.push(...deps.captureNotes(report));
  } catch (error) {
    problems.push(`rendering threw ${describeError(error)}`);
  }
  for (const line of lines) if (/[\n\r]/.test(line)) problems.push(`message spans lines: ${JSON.stringify(line)}`);
  return problems;
}

function describeError(error) {
  return error instanceof Error ? `${error.name}: ${error.message}${error.stack ? ` ${error.stack.split('\n')[1]?.trim() ?? ''}` : ''}` : String(error);
}

// ─── running one damaged input ──────────────────────────────────────────────────────────────

const CHUNK_SIZES = [undefined, undefined, 1, 3, 16, 17, 64, 4096];
const LARGE_CHUNK_SIZES = [undefined, undefined, 4096, 65536];

/** A read size for this input: tiny reads (records straddling every read) only for small files. */
function chunkSizeFor(profile, rng) {
  return rng.pick(profile.bytes.length <= 16384 ? CHUNK_SIZES : LARGE_CHUNK_SIZES);
}

/**
 * Analyse `input`; resolves the report, or the CaptureFormatError, or a problem for anything else.
 * @returns {Promise<{ report?: any, error?: any, problems: string[] }>}
 */
async function run(input, options, deps) {
  try {
    return { report: await deps.analyze(input, options), problems: [] };
  } catch (error) {
    if (error instanceof deps.CaptureFormatError) {
      const problems = /[\n\r]/.test(error.message) ? [`error message spans lines: ${JSON.stringify(error.message)}`] : [];
      return { error, problems };
    }
    return { problems: [`threw ${describeError(error)}`] };
  }
}

/** Frames read from `input`, copied (for prefix comparisons); undefined when it cannot be opened. */
async function readFrames(input, deps) {
  let reader;
  try {
    reader = await deps.openCapture(input);
  } catch (error) {
    if (error instanceof deps.CaptureFormatError) return undefined;
    throw error;
  }
  const frames = [];
  try {
    for (;;) {
      let frame;
      while ((frame = reader.next()) !== undefined) frames.push(frameCopy(frame));
      if (!(await reader.fill())) break;
    }
  } finally {
    await reader.close();
  }
  return frames;
}

function samePrefix(frames, original, count) {
  for (let i = 0; i < count; i++) {
    const a = frames[i];
    const b = original[i];
    if (a === undefined) return `frame ${i + 1} is missing`;
    if (a.number !== b.number || a.fileOffset !== b.fileOffset || a.seconds !== b.seconds || a.nanos !== b.nanos || a.data !== b.data) {
      return `frame ${i + 1} differs from the undamaged file's`;
    }
  }
  return undefined;
}

/**
 * The file cut at `cut`: the records wholly before the cut, no more, no fewer; a truncation at the
 * start of the cut record naming it; a CaptureFormatError only inside the file header.
 * @param {Profile} profile @param {number} cut @param {Deps} deps
 * @param {{ chunkSize?: number, gzip?: boolean, render?: boolean }} options
 * @returns {Promise<string[]>}
 */
export async function checkCut(profile, cut, deps, { chunkSize = undefined, gzip = false, render = true } = {}) {
  const bytes = profile.bytes.subarray(0, cut);
  const input = gzip ? deps.gzip(bytes) : bytes;
  const result = await run(input, chunkSize === undefined ? {} : { chunkSize }, deps);
  const problems = [...result.problems];
  if (cut < profile.headerEnd) {
    if (result.report !== undefined) problems.push(`cut inside the file header (${profile.headerEnd} bytes) gave a report`);
    else if (result.error !== undefined) {
      const expected = cut === 0 ? 'empty' : 'malformed-header';
      if (result.error.failure !== expected) problems.push(`failure ${result.error.failure}, expected ${expected}`);
    }
    return problems;
  }
  if (result.report === undefined) {
    if (result.error !== undefined) problems.push(`file header intact, but: ${result.error.message}`);
    return problems;
  }
  const report = result.report;
  problems.push(...checkReport(report, gzip ? undefined : cut, deps, render));
  if (cut > profile.stopAt) return problems;
  const capture = report.captures[0];
  const before = framesBefore(profile, cut);
  if (capture.packets !== before.packets) problems.push(`${capture.packets} packets, expected the ${before.packets} whole records before the cut`);
  if (capture.tcpPackets !== before.tcp) problems.push(`${capture.tcpPackets} TCP packets, expected ${before.tcp}`);
  let boundary = profile.headerEnd;
  let cutRecord;
  for (const record of profile.records) {
    if (record.end <= cut) boundary = record.end;
    else {
      cutRecord = record;
      break;
    }
  }
  const t = capture.truncation;
  if (cut === boundary) {
    if (t !== null) problems.push(`cut at a record boundary (${cut}), yet: ${t.message}`);
    return problems;
  }
  if (t === null) {
    problems.push(`cut at ${cut}, inside the record at ${boundary}, not reported`);
    return problems;
  }
  if (t.offset !== boundary) problems.push(`truncation at offset ${t.offset}, expected ${boundary}`);
  if (t.kind !== 'truncated') problems.push(`truncation kind ${t.kind}`);
  if (t.available !== cut - boundary) problems.push(`truncation says ${t.available} bytes present, ${cut - boundary} are`);
  if (cutRecord === undefined || cutRecord.packet) {
    const number = packetRecordsBefore(profile, boundary) + 1;
    // A pcapng block cut inside its first 8 bytes has no known type yet: the packet before it is named.
    const named = new RegExp(`\\b(record|packet) ${number}\\b|after packet ${number - 1}\\b${number === 1 ? '|before the first packet' : ''}`);
    if (!named.test(t.message)) problems.push(`truncation message does not name packet ${number}: ${t.message}`);
  }
  return problems;
}

/** A byte position inside the fixed header fields of record `index` (-1: the file header). */
function headerPosition(profile, index, rng) {
  if (index < 0) return rng.int(profile.headerEnd);
  const record = profile.records[index];
  // Mostly the leading fields; sometimes the pcapng trailing length copy.
  if (profile.format === 'pcapng' && rng.int(4) === 0) return record.end - 4 + rng.int(4);
  return record.offset + rng.int(record.fixed);
}

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];

/**
 * A byte the readers never use for framing: a pcap timestamp, original length or packet byte; a
 * pcapng enhanced or simple packet block's timestamp, original length, packet bytes or options.
 * Changing only such bytes must leave every record counted and reading stopped where it was.
 */
function framingSafe(profile, at) {
  const record = profile.records.find((r) => r.offset <= at && at < r.end);
  if (record === undefined) return false;
  const from = at - record.offset;
  if (profile.format === 'pcap') return from < 8 || from >= 12;
  if (record.type === 6) return (from >= 12 && from < 20) || (from >= 24 && at < record.end - 4);
  if (record.type === 3) return from >= 12 && at < record.end - 4;
  return false;
}

/**
 * Damage after the file header must leave every record before it as it was; damage to bytes
 * that do not frame records must leave every record counted.
 * @param {Profile} profile @param {Uint8Array} input @param {number} damageAt first changed byte
 * @param {number[]} positions every changed byte (in place; none for a splice)
 */
export async function checkDamaged(profile, input, damageAt, deps, chunkSize, positions = []) {
  const result = await run(input, chunkSize === undefined ? {} : { chunkSize }, deps);
  const problems = [...result.problems];
  if (result.report === undefined) {
    if (result.error !== undefined && damageAt >= profile.headerEnd) problems.push(`damage after the file header was fatal: ${result.error.message}`);
    return problems;
  }
  const report = result.report;
  problems.push(...checkReport(report, input.length, deps));
  if (damageAt < profile.headerEnd || damageAt > profile.stopAt) return problems;
  const record = profile.records.find((r) => r.end > damageAt);
  // Damage in the tail of a file that is itself cut (no whole record there) leaves the records before the tail.
  const intactEnd = record ? record.offset : (profile.records.at(-1)?.end ?? profile.headerEnd);
  const before = framesBefore(profile, intactEnd);
  const capture = report.captures[0];
  if (capture.packets < before.packets) problems.push(`${capture.packets} packets, but ${before.packets} whole records come before the damage at ${damageAt}`);
  if (capture.tcpPackets < before.tcp) problems.push(`${capture.tcpPackets} TCP packets, but ${before.tcp} come before the damage`);
  const t = capture.truncation;
  if (t !== null && t.offset < intactEnd) problems.push(`reading stopped at ${t.offset}, before the damaged record at ${intactEnd}`);
  if (positions.length > 0 && positions.every((at) => framingSafe(profile, at))) {
    if (capture.packets !== profile.frames.length) problems.push(`only non-framing bytes changed, yet ${capture.packets} packets of ${profile.frames.length}`);
    const stop = t === null ? null : `${t.kind} at ${t.offset}`;
    const expected = profile.stop === null ? null : `${profile.stop.kind} at ${profile.stop.offset}`;
    if (stop !== expected) problems.push(`only non-framing bytes changed, yet reading stopped ${stop ?? 'nowhere'} instead of ${expected ?? 'nowhere'}`);
  }
  const frames = await readFrames(input, deps);
  if (frames === undefined) problems.push('the reader refused what analyze() read');
  else {
    const differs = samePrefix(frames, profile.frames, before.packets);
    if (differs !== undefined) problems.push(`${differs} (damage at ${damageAt})`);
  }
  return problems;
}

// ─── mutations ──────────────────────────────────────────────────────────────────────────────

/**
 * @typedef {object} CaseResult
 * @property {string} kind
 * @property {string} detail
 * @property {Uint8Array} input
 * @property {string[]} problems
 */

/** Flip a bit or set a byte in the fixed header fields of one record (or of the file header). */
async function flipCase(profile, rng, deps) {
  const index = profile.records.length === 0 || rng.int(6) === 0 ? -1 : rng.int(profile.records.length);
  const count = 1 + rng.int(3);
  const input = profile.bytes.slice();
  const changes = [];
  const positions = [];
  let first = Infinity;
  for (let i = 0; i < count; i++) {
    const at = headerPosition(profile, index, rng);
    positions.push(at);
    const old = input[at];
    const how = rng.int(3);
    input[at] = how === 0 ? old ^ (1 << rng.int(8)) : how === 1 ? rng.pick(INTERESTING) : rng.int(256);
    changes.push(`${at}:${old.toString(16)}→${input[at].toString(16)}`);
    first = Math.min(first, at);
  }
  const chunkSize = chunkSizeFor(profile, rng);
  const detail = `header bytes ${changes.join(' ')} (chunk ${chunkSize ?? 'none'})`;
  return { kind: 'flip', detail, input, problems: await checkDamaged(profile, input, first, deps, chunkSize, positions) };
}

/** Overwrite a few bytes anywhere after the file header (packet data included). */
async function bytesCase(profile, rng, deps) {
  const input = profile.bytes.slice();
  const span = input.length - profile.headerEnd;
  if (span <= 0) return flipCase(profile, rng, deps);
  const changes = [];
  let first = Infinity;
  for (let i = 0, n = 1 + rng.int(8); i < n; i++) {
    const at = profile.headerEnd + rng.int(span);
    input[at] = rng.int(256);
    changes.push(at);
    first = Math.min(first, at);
  }
  const chunkSize = chunkSizeFor(profile, rng);
  return { kind: 'bytes', detail: `bytes at ${changes.join(',')} (chunk ${chunkSize ?? 'none'})`, input, problems: await checkDamaged(profile, input, first, deps, chunkSize, changes) };
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Delete a run of bytes, or insert random ones, after the file header: the framing shifts from there. */
async function spliceCase(profile, rng, deps) {
  const span = profile.bytes.length - profile.headerEnd;
  if (span <= 0) return flipCase(profile, rng, deps);
  const at = profile.headerEnd + rng.int(span);
  const length = 1 + rng.int(rng.int(2) === 0 ? 4 : 64);
  const insert = rng.int(2) === 0;
  const filler = Uint8Array.from({ length }, () => rng.int(256));
  const bytes = profile.bytes;
  const input = insert ? concat(bytes.subarray(0, at), filler, bytes.subarray(at)) : concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + length)));
  const chunkSize = chunkSizeFor(profile, rng);
  const detail = `${insert ? 'inserted' : 'deleted'} ${length} bytes at ${at} (chunk ${chunkSize ?? 'none'})`;
  return { kind: 'splice', detail, input, problems: await checkDamaged(profile, input, at, deps, chunkSize) };
}

/** Give one record an absurd length: reading must stop there at once, as malformed. */
async function absurdCase(profile, rng, deps) {
  if (profile.records.length === 0) return flipCase(profile, rng, deps);
  const index = rng.int(profile.records.length);
  const record = profile.records[index];
  const input = profile.bytes.slice();
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const value = rng.pick([0xffffffff, 0xfffffffc, 0x80000000, MAX_RECORD_LENGTH + 4, MAX_RECORD_LENGTH + 4 + rng.int(1 << 28) * 4]) >>> 0;
  view.setUint32(record.lengthAt, value, record.littleEndian);
  const chunkSize = chunkSizeFor(profile, rng);
  const detail = `length ${value} for the record at ${record.offset} (chunk ${chunkSize ?? 'none'})`;
  const result = await run(input, chunkSize === undefined ? {} : { chunkSize }, deps);
  const problems = [...result.problems];
  if (result.error !== undefined) problems.push(`fatal: ${result.error.message}`);
  if (result.report !== undefined && record.offset < profile.stopAt) {
    problems.push(...checkReport(result.report, input.length, deps));
    const capture = result.report.captures[0];
    const before = framesBefore(profile, record.offset);
    const t = capture.truncation;
    if (capture.packets !== before.packets) problems.push(`${capture.packets} packets, expected the ${before.packets} before the record`);
    if (t === null || t.kind !== 'malformed' || t.offset !== record.offset) {
      problems.push(`expected a malformed stop at ${record.offset}, got ${t === null ? 'none' : `${t.kind} at ${t.offset}: ${t.message}`}`);
    } else if (!/absurd record length/.test(t.message)) problems.push(`message does not say the length is absurd: ${t.message}`);
    else if (record.packet && !new RegExp(`\\b(record|packet) ${packetRecordsBefore(profile, record.offset) + 1}\\b`).test(t.message)) {
      problems.push(`message does not name packet ${packetRecordsBefore(profile, record.offset) + 1}: ${t.message}`);
    }
  }
  return { kind: 'absurd', detail, input, problems };
}

/** The file gzip-compressed, then cut: frames are a prefix of the original's, and the cut is said. */
async function gzipCutCase(profile, rng, deps) {
  profile.gzipped ??= deps.gzip(profile.bytes);
  const gz = profile.gzipped;
  const cut = rng.int(gz.length);
  const input = gz.subarray(0, cut);
  const result = await run(input, rng.int(2) === 0 ? {} : { chunkSize: chunkSizeFor(profile, rng) }, deps);
  const problems = [...result.problems];
  if (result.report !== undefined) {
    problems.push(...checkReport(result.report, undefined, deps));
    const capture = result.report.captures[0];
    if (capture.packets > profile.frames.length) problems.push(`${capture.packets} packets, more than the whole file's ${profile.frames.length}`);
    if (!capture.warnings.some((w) => w.includes('input ended early: gzip data'))) problems.push(`cut gzip input not reported; warnings: ${JSON.stringify(capture.warnings)}`);
    const frames = await readFrames(input, deps);
    const differs = frames && samePrefix(frames, profile.frames, Math.min(frames.length, profile.frames.length));
    if (differs) problems.push(differs);
  } else if (result.error !== undefined && !['empty', 'malformed-header'].includes(result.error.failure) && !(cut < 2 && result.error.failure === 'not-a-capture')) {
    // (A lone 0x1f is not yet recognisable as gzip: not-a-capture is the honest answer.)
    problems.push(`cut gzip input failed as ${result.error.failure}: ${result.error.message}`);
  }
  return { kind: 'gzip-cut', detail: `gzip (${gz.length} bytes) cut at ${cut}`, input, problems };
}

/** A cut anywhere, mostly near record boundaries (where off-by-one errors live). */
async function cutCase(profile, rng, deps) {
  let cut;
  if (profile.records.length > 0 && rng.int(3) > 0) {
    const record = rng.pick(profile.records);
    cut = Math.min(profile.bytes.length, Math.max(0, record.offset + rng.pick([-1, 0, 1, 4, 8, 12, 15, 16, 17, 27, 28, 29]) + (rng.int(4) === 0 ? rng.int(record.end - record.offset) : 0)));
  } else {
    cut = rng.int(profile.bytes.length + 1);
  }
  const chunkSize = chunkSizeFor(profile, rng);
  const gzip = rng.int(10) === 0;
  const input = profile.bytes.slice(0, cut);
  return { kind: 'cut', detail: `cut at ${cut}${gzip ? ', gzip-compressed' : ''} (chunk ${chunkSize ?? 'none'})`, input: gzip ? deps.gzip(input) : input, problems: await checkCut(profile, cut, deps, { chunkSize, gzip }) };
}

/** Two cut copies read as one capture (merged by time): each capture counts what it counts alone. */
async function mergeCase(profile, rng, deps) {
  const cuts = [rng.int(profile.bytes.length + 1), rng.int(profile.bytes.length + 1)];
  const inputs = cuts.map((cut) => profile.bytes.slice(0, cut));
  const alone = [];
  for (const input of inputs) alone.push(await run(input, {}, deps));
  const merged = await run(inputs, { chunkSize: chunkSizeFor(profile, rng) }, deps);
  const problems = [...merged.problems, ...alone.flatMap((a) => a.problems)];
  const failed = alone.find((a) => a.error !== undefined);
  if (failed !== undefined) {
    if (merged.error === undefined) problems.push(`one input fails alone (${failed.error.message}), but not when merged`);
  } else if (merged.report === undefined) {
    problems.push(`each input reads alone, but merged: ${merged.error?.message ?? 'no report'}`);
  } else {
    const captures = merged.report.captures;
    let tcp = 0;
    captures.forEach((capture, i) => {
      const single = alone[i].report.captures[0];
      tcp += capture.tcpPackets;
      for (const key of ['packets', 'tcpPackets', 'truncated']) {
        if (capture[key] !== single[key]) problems.push(`merged capture ${i}: ${key} ${capture[key]}, alone ${single[key]}`);
      }
      if (JSON.stringify(capture.truncation) !== JSON.stringify(single.truncation)) problems.push(`merged capture ${i}: truncation differs from its own`);
    });
    if (merged.report.summary.packets + captures.reduce((sum, c) => sum + c.skipped.filteredOut, 0) !== tcp) problems.push('merged TCP packets do not add up');
  }
  return { kind: 'merge', detail: `two copies cut at ${cuts.join(' and ')}`, input: profile.bytes.slice(0, Math.max(...cuts)), problems };
}

const MUTATIONS = [cutCase, cutCase, flipCase, flipCase, bytesCase, spliceCase, absurdCase, gzipCutCase, mergeCase];

/**
 * One random case on `profile`, fully determined by `seed`.
 * @param {Profile} profile @param {number} seed @param {Deps} deps
 * @returns {Promise<CaseResult>}
 */
export async function randomCase(profile, seed, deps) {
  const rng = createRandom(seed);
  const mutation = rng.pick(MUTATIONS);
  try {
    return await mutation(profile, rng, deps);
  } catch (error) {
    // A failure of the checks themselves (e.g. the reader threw while re-reading) is a finding too.
    return { kind: mutation.name.replace(/Case$/, ''), detail: `seed ${seed}`, input: profile.bytes, problems: [`threw ${describeError(error)}`] };
  }
}

/**
 * Cut offsets for a file: every offset when it is small, else every record boundary's
 * neighbourhood for a sample of records plus `extra` offsets spread evenly.
 * @param {Profile} profile @param {number} everyOffsetUpTo
 */
export function cutOffsets(profile, everyOffsetUpTo, extra = 32) {
  const size = profile.bytes.length;
  if (size <= everyOffsetUpTo) return Array.from({ length: size + 1 }, (_, i) => i);
  const set = new Set([0, 1, 3, 4, profile.headerEnd - 1, profile.headerEnd, profile.headerEnd + 1, size - 1, size]);
  const step = Math.max(1, Math.floor(profile.records.length / 32));
  for (let i = 0; i < profile.records.length; i += step) {
    const { offset, end } = profile.records[i];
    for (const delta of [-1, 1, 8, 15, 16, 17, 28]) if (offset + delta < end) set.add(offset + delta);
    set.add(offset + ((end - offset) >> 1));
  }
  for (let i = 1; i <= extra; i++) set.add(Math.floor((size * i) / (extra + 1)));
  return [...set].filter((c) => c >= 0 && c <= size).sort((a, b) => a - b);
}
