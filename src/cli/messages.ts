import { LinkType } from '../decode/constants.js';
import type { CaptureReport, ConnectionReport } from '../report/model.js';

const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set(Object.values(LinkType));

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * What the notes read: a Report, or (when `--json` streams) the captures and filter with only the
 * connections whose duration is negative, and the total count of connections.
 */
export interface NotesInput {
  readonly captures: readonly CaptureReport[];
  readonly filter: { readonly ports: readonly number[]; readonly hosts: readonly string[] };
  readonly connections: readonly Pick<ConnectionReport, 'id' | 'start' | 'end' | 'durationMs'>[];
  /** All connections when `connections` holds only some of them. */
  readonly connectionCount?: number;
}

/** One line per thing a person should know about a capture: damage, skipped packets, empty filters. */
export function captureNotes(report: NotesInput): string[] {
  const notes: string[] = [];
  for (const capture of report.captures) notes.push(...notesFor(capture, report));
  // Start and end are the first and last packet in file order: a damaged timestamp or a clock step
  // can put the end first. Say so rather than print a negative duration without comment.
  const backwards = report.connections.filter((connection) => connection.durationMs < 0);
  const first = backwards[0];
  if (first !== undefined) {
    const more = backwards.length > 1 ? ` (and ${plural(backwards.length - 1, 'other connection')})` : '';
    notes.push(
      `note: connection #${first.id} ends (${first.end}) before it starts (${first.start})${more}: ` +
        'timestamps go back in time (clock step or damaged record), so its duration is negative',
    );
  }
  return notes;
}

function notesFor(capture: CaptureReport, report: NotesInput): string[] {
  const notes: string[] = [];
  const name = capture.path;
  if (capture.truncation) {
    const t = capture.truncation;
    notes.push(`warning: ${name}: ${t.message}; the ${plural(capture.packets, 'whole record')} before it were analysed`);
  }
  for (const warning of capture.warnings) notes.push(`warning: ${name}: ${warning}`);
  for (const issue of capture.issues) {
    const bytes = issue.needed !== undefined ? ` (needed ${issue.needed} bytes, ${issue.available} present)` : '';
    notes.push(
      `note: ${name}: ${plural(issue.count, 'packet')} ${issue.kind} at ${issue.layer} (${issue.reason}), ` +
        `first is packet ${issue.firstPacket} at byte offset ${issue.firstOffset}${bytes}`,
    );
  }
  if (capture.skipped.unknownLinkType > 0) {
    // pcapng interfaces may mix link types: name only those synfin does not decode.
    const unsupported = capture.linkTypes.filter((linkType) => !SUPPORTED_LINK_TYPES.has(linkType));
    notes.push(
      `note: ${name}: ${plural(capture.skipped.unknownLinkType, 'packet')} of an unsupported link type (${unsupported.join(', ')}) skipped`,
    );
  }
  if (capture.tcpPackets === 0 && capture.packets > 0) {
    // Packets whose TCP header is cut or broken are issues, not TCP: say so, or "no TCP" misleads.
    const damaged = capture.issues.reduce((sum, issue) => sum + issue.count, 0);
    notes.push(`note: ${name}: no TCP in ${plural(capture.packets, 'packet')}${damaged > 0 ? ` (${damaged} damaged, see above)` : ''}`);
  }
  const filtered = report.filter.ports.length > 0 || report.filter.hosts.length > 0;
  if (filtered && (report.connectionCount ?? report.connections.length) === 0 && capture.tcpPackets > 0) {
    const what = [
      report.filter.ports.length ? `port ${report.filter.ports.join(', ')}` : '',
      report.filter.hosts.length ? `host ${report.filter.hosts.join(', ')}` : '',
    ].filter(Boolean).join(' and ');
    const ports = capture.filteredOutPorts.map((p) => `${p.port} (${p.packets})`).join(', ');
    notes.push(
      `note: ${name}: no TCP segment matched ${what}; the capture has ${plural(capture.tcpPackets, 'TCP packet')}` +
        (ports ? `, on ports ${ports}` : ''),
    );
  }
  return notes;
}
