/**
 * A ladder (sequence) diagram of one connection: client lane on the left, server lane on the
 * right, time going down, one arrow per packet or per collapsed run. The closing line comes from
 * the Report's verdict, so the picture and the table always agree.
 */
import { TcpFlag } from '../decode/constants.js';
import type { ConnectionReport } from '../report/model.js';
import type { LadderData, LadderStep } from './record.js';
import { fit, formatTime, timeUnit, type ViewStyle } from './style.js';

/** Widest arrow drawn, however wide the terminal: past this a ladder is harder, not easier, to read. */
const MAX_ARROW = 64;
/** Below this the notes move to a line of their own under the arrow. */
const MIN_ARROW_WITH_NOTES = 26;

/** `SYN`, `SYN-ACK`, `GET /index.html`, `data ×4`, `FIN`, `RST`, ... */
export function stepLabel(step: LadderStep, times: string): string {
  const flags = step.flags;
  const parts: string[] = [];
  if (flags & TcpFlag.SYN) parts.push(flags & TcpFlag.ACK ? 'SYN-ACK' : 'SYN');
  if (step.http !== undefined) parts.push(step.http);
  else if (step.payloadBytes > 0) parts.push('data');
  if (flags & TcpFlag.FIN) parts.push('FIN');
  if (flags & TcpFlag.RST) parts.push('RST');
  if (parts.length === 0) parts.push(flags & TcpFlag.ACK ? 'ACK' : 'no flags');
  const label = parts.join(' + ');
  return step.count > 1 ? `${label} ${times}${step.count}` : label;
}

function isCloser(step: LadderStep, connection: ConnectionReport): boolean {
  if (connection.closedWith === 'fin') return step.firstFin;
  if (connection.closedWith === 'rst') return step.firstRst;
  return false;
}

function stepNotes(step: LadderStep, connection: ConnectionReport, style: ViewStyle): string[] {
  const notes: string[] = [];
  if (step.payloadBytes > 0) notes.push(`${step.payloadBytes} B`);
  if (step.retransmission) notes.push(`${style.glyphs.retransmission} retransmission`);
  if (step.interleaved) notes.push('interleaved');
  if (step.firstFin) notes.push(connection.closedWith === 'fin' ? 'first FIN: closes' : 'first FIN');
  else if (step.firstRst && isCloser(step, connection)) notes.push('RST: closes');
  return notes;
}

function paintFor(step: LadderStep, style: ViewStyle): (text: string) => string {
  const p = style.paint;
  if (step.retransmission) return p.retransmission;
  if (step.flags & TcpFlag.RST) return p.rst;
  if (step.flags & TcpFlag.FIN) return p.fin;
  if (step.flags & TcpFlag.SYN) return p.handshake;
  if (step.http !== undefined) return p.http;
  if (step.payloadBytes === 0) return p.dim;
  return (text) => text;
}

/** `──── label ────▶` (or mirrored), exactly `width` characters. */
function arrow(label: string, fromClient: boolean, width: number, style: ViewStyle): { before: string; label: string; after: string } {
  const g = style.glyphs;
  const text = fit(label, Math.max(0, width - 4), g.ellipsis);
  const free = width - text.length - 2 - 1;
  const left = Math.floor(free / 2);
  const right = free - left;
  const before = fromClient ? g.line.repeat(left) + ' ' : g.arrowLeft + g.line.repeat(left) + ' ';
  const after = fromClient ? ' ' + g.line.repeat(right) + g.arrowRight : ' ' + g.line.repeat(right);
  return { before, label: text, after };
}

export function closingText(connection: ConnectionReport): string {
  if (connection.closedBy === null || connection.closedWith === null) return 'still open at the end of the capture';
  const how = connection.closedWith.toUpperCase();
  const extra = connection.simultaneousClose ? ', simultaneous close' : '';
  const refused = connection.handshake === 'rejected' ? ': connection refused' : '';
  return `closed by ${connection.closedBy} (${how}${extra})${refused}`;
}

function handshakeText(connection: ConnectionReport): string {
  switch (connection.handshake) {
    case 'complete': return 'handshake complete';
    case 'none': return 'no handshake (began before the capture)';
    case 'rejected': return 'handshake rejected';
    case 'syn': return 'SYN unanswered';
    case 'syn-ack': return 'handshake without final ACK';
  }
}

const ROLE_NOTES: Record<ConnectionReport['roleSource'], string> = {
  syn: '',
  'syn-ack': 'client: SYN-ACK receiver',
  'filter-port': 'server: the --port side',
  'lower-port': 'server: the lower port',
};

/** The ladder of one connection; `report` is its row of the Report, `data` what was recorded. */
export function renderLadder(connection: ConnectionReport, data: LadderData, style: ViewStyle): string {
  const g = style.glyphs;
  const p = style.paint;
  const width = style.width;
  const steps = [...data.head, ...data.tail];
  const lastTime = steps.reduce((max, step) => Math.max(max, step.endTime), 0);
  const unit = timeUnit(lastTime, style.unicode);
  const times = steps.map((step) => formatTime(step.time, unit));
  const timeWidth = Math.max(unit.name.length, ...times.map((t) => t.length));
  const notes = steps.map((step) => stepNotes(step, connection, style).join(style.unicode ? ' · ' : ', '));
  const notesWidth = Math.max(0, ...notes.map((n) => n.length));
  const gutter = 2;
  const room = width - timeWidth - gutter - 2;
  let arrowWidth = Math.min(MAX_ARROW, room - (notesWidth > 0 ? notesWidth + 1 : 0));
  const notesInline = arrowWidth >= MIN_ARROW_WITH_NOTES;
  if (!notesInline) arrowWidth = Math.min(MAX_ARROW, room);
  const indent = ' '.repeat(timeWidth + gutter);

  const lines: string[] = [];
  const arrowText = style.unicode ? '→' : '->';
  const title = `#${connection.id}  ${connection.client} ${arrowText} ${connection.server}`;
  lines.push(p.strong(fit(title, width, g.ellipsis)));
  const startUnit = timeUnit(data.start, style.unicode);
  const startText = data.start > 0 ? `starts at +${formatTime(data.start, startUnit)} ${startUnit.name}` : '';
  const facts = [handshakeText(connection), connection.state, startText, ROLE_NOTES[connection.roleSource]].filter(Boolean);
  lines.push(fit(facts.join(style.unicode ? ' · ' : ', '), width, g.ellipsis));
  const laneGap = Math.max(1, arrowWidth + 2 - 'client'.length - 'server'.length);
  lines.push(p.dim(`${unit.name.padStart(timeWidth)}${' '.repeat(gutter)}client${' '.repeat(laneGap)}server`));

  const drawStep = (step: LadderStep, index: number): void => {
    const a = arrow(stepLabel(step, g.times), step.fromClient, arrowWidth, style);
    const paint = paintFor(step, style);
    const label = isCloser(step, connection) ? p.closer(a.label) : paint(a.label);
    const row = `${times[index]!.padStart(timeWidth)}${' '.repeat(gutter)}${g.lane}${paint(a.before)}${label}${paint(a.after)}${g.lane}`;
    const note = notes[index]!;
    if (note === '') {
      lines.push(row);
    } else if (notesInline) {
      lines.push(`${row} ${paint(note)}`);
    } else {
      lines.push(row);
      // Under the arrow, between the lanes, on the sender's side.
      const text = fit(note, arrowWidth - 2, g.ellipsis);
      const pad = arrowWidth - 2 - text.length;
      const inner = step.fromClient ? ` ${text}${' '.repeat(pad)} ` : ` ${' '.repeat(pad)}${text} `;
      lines.push(`${indent}${g.lane}${paint(inner)}${g.lane}`);
    }
  };
  data.head.forEach((step, i) => drawStep(step, i));
  if (data.omitted > 0) {
    const text = `${g.ellipsis} ${data.omitted} packet${data.omitted === 1 ? '' : 's'} not drawn ${g.ellipsis}`;
    lines.push(p.dim(`${indent}${fit(text, width - indent.length, g.ellipsis)}`));
  }
  data.tail.forEach((step, i) => drawStep(step, data.head.length + i));
  const verdict = closingText(connection);
  const paintVerdict = connection.closedWith === 'rst' ? p.rst : connection.closedWith === 'fin' ? p.fin : p.dim;
  lines.push(p.strong(paintVerdict(fit(verdict, width, g.ellipsis))));
  return `${lines.join('\n')}\n`;
}

/** Ladders for several connections, a blank line between them. */
export function renderLadders(
  connections: readonly ConnectionReport[],
  ladders: readonly LadderData[],
  style: ViewStyle,
): string {
  const byId = new Map(connections.map((connection) => [connection.id, connection]));
  const parts: string[] = [];
  for (const data of ladders) {
    const connection = byId.get(data.id);
    if (connection !== undefined) parts.push(renderLadder(connection, data, style));
  }
  return parts.join('\n');
}
