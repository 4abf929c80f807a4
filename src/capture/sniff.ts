import { pcapMagic } from './pcap.js';

/** What the first bytes of an input say it is. */
export type Sniffed =
  | { kind: 'pcap' }
  | { kind: 'pcapng' }
  | { kind: 'gzip' }
  /** Compressed in a format we do not decompress: tell the user which tool to run. */
  | { kind: 'compressed'; name: string; command: string }
  /** A known capture format other than pcap/pcapng. */
  | { kind: 'other-capture'; name: string }
  /** Shorter than 4 bytes but the start of a known magic. */
  | { kind: 'short' }
  | { kind: 'unknown' };

interface Signature {
  bytes: readonly number[];
  result: Sniffed;
}

const SIGNATURES: readonly Signature[] = [
  // pcapng files start with an SHB, whose type 0x0A0D0D0A reads the same in both byte orders.
  { bytes: [0x0a, 0x0d, 0x0d, 0x0a], result: { kind: 'pcapng' } },
  { bytes: [0x1f, 0x8b], result: { kind: 'gzip' } },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], result: { kind: 'compressed', name: 'zstd', command: 'zstd -d' } },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], result: { kind: 'compressed', name: 'xz', command: 'xz -d' } },
  { bytes: [0x42, 0x5a, 0x68], result: { kind: 'compressed', name: 'bzip2', command: 'bunzip2' } },
  { bytes: [0x04, 0x22, 0x4d, 0x18], result: { kind: 'compressed', name: 'lz4', command: 'lz4 -d' } },
  { bytes: [0x50, 0x4b, 0x03, 0x04], result: { kind: 'compressed', name: 'zip', command: 'unzip' } },
  // Kuznetzov's "modified pcap" has 24-byte record headers: not readable as classic pcap.
  { bytes: [0xa1, 0xb2, 0xcd, 0x34], result: { kind: 'other-capture', name: 'modified (Kuznetzov) pcap' } },
  { bytes: [0x34, 0xcd, 0xb2, 0xa1], result: { kind: 'other-capture', name: 'modified (Kuznetzov) pcap' } },
  { bytes: [0x73, 0x6e, 0x6f, 0x6f, 0x70, 0x00], result: { kind: 'other-capture', name: 'snoop' } },
];

const PCAP_MAGICS: readonly (readonly number[])[] = [
  [0xa1, 0xb2, 0xc3, 0xd4],
  [0xd4, 0xc3, 0xb2, 0xa1],
  [0xa1, 0xb2, 0x3c, 0x4d],
  [0x4d, 0x3c, 0xb2, 0xa1],
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

function isPrefixOf(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length < magic.length && Array.from(bytes).every((b, i) => magic[i] === b);
}

/** Identify an input from its first bytes (at least 4 unless the input is shorter). */
export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length >= 4) {
    const magic = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    if (pcapMagic(magic) !== undefined) return { kind: 'pcap' };
  }
  for (const signature of SIGNATURES) if (startsWith(bytes, signature.bytes)) return signature.result;
  const magics = [...PCAP_MAGICS, ...SIGNATURES.filter((s) => s.result.kind === 'pcapng').map((s) => s.bytes)];
  if (bytes.length < 4 && magics.some((magic) => isPrefixOf(bytes, magic))) return { kind: 'short' };
  return { kind: 'unknown' };
}

/** Printable ASCII, tab, CR, LF: enough to say "this is a text file". */
function looksLikeText(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return false;
  for (const b of bytes) {
    if (b === 0x09 || b === 0x0a || b === 0x0d) continue;
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/** The first bytes in hex, and the text they spell when they look like text. */
export function describeStart(bytes: Uint8Array): string {
  const shown = bytes.subarray(0, 16);
  const hex = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const more = bytes.length > shown.length ? ' ...' : '';
  let text = '';
  if (looksLikeText(bytes.subarray(0, 64))) {
    const snippet = new TextDecoder('latin1').decode(bytes.subarray(0, 40)).replace(/\s+/g, ' ').trim();
    text = ` (looks like text: "${snippet}")`;
  }
  return `it starts with ${hex}${more}${text}`;
}
