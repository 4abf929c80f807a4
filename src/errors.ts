/**
 * Two kinds of trouble, kept apart on purpose (tcpdump, Zeek):
 * - a CaptureFormatError is fatal: the input is not a capture we can read at all;
 * - a DecodeIssue is per packet: it is counted and named in the report and the run goes on.
 */

/** Why a capture could not be read at all. Maps to exit code 3 in the CLI. */
export type CaptureFailure =
  | 'missing'
  | 'unreadable'
  | 'directory'
  | 'empty'
  | 'not-a-capture'
  | 'compressed'
  | 'malformed-header';

/** Fatal, file-level error: names the file, the byte offset and what was found there. */
export class CaptureFormatError extends Error {
  override readonly name = 'CaptureFormatError';
  constructor(
    message: string,
    readonly path: string,
    readonly offset: number,
    readonly failure: CaptureFailure,
  ) {
    super(message);
  }
}

/** `truncated`: bytes are missing (snaplen, file cut short). `malformed`: a field value is impossible. */
export type IssueKind = 'truncated' | 'malformed' | 'unsupported';

/** Protocol layer at which a per-packet problem was found. */
export type IssueLayer = 'capture' | 'link' | 'vlan' | 'ipv4' | 'ipv6' | 'tcp';

/** A non-fatal, per-packet problem. Numbers only, so the hot path can fill it without formatting. */
export interface DecodeIssue {
  kind: IssueKind;
  layer: IssueLayer;
  /** Stable short identifier, e.g. `ipv4-header-length-below-20`, `tcp-header-cut`. */
  reason: string;
  /** 1-based packet (record) number in its capture file. */
  packet: number;
  /** Byte offset in the file of the record that holds the packet. */
  offset: number;
  /** Bytes the layer needed and bytes that were there, for `truncated` issues. */
  needed?: number;
  available?: number;
}
