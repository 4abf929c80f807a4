/**
 * One row per connection on a shared time axis: where each connection opened (handshake), when
 * the client sent requests (data bursts), and which side closed it. Reuse (one row, many
 * requests) and one-connection-per-request (many short rows) are told apart at a glance.
 */
import type { ConnectionReport, Report } from '../report/model.js';
import type { TimelineRow } from './record.js';
import { fit, formatTime, timeUnit, type ViewStyle } from './style.js';

/** What a cell shows; a higher value wins a cell. */
const Mark = { Empty: 0, Idle: 1, Data: 2, Request: 3, MidStream: 4, Handshake: 5, Close: 6 } as const;
type Mark = (typeof Mark)[keyof typeof Mark];

export function verdictText(connection: ConnectionReport): string {
  if (connection.closedBy === null || connection.closedWith === null) return 'open';
  if (connection.handshake === 'rejected') return 'refused';
  return `${connection.closedBy} ${connection.closedWith.toUpperCase()}`;
}

/** The moment the Report's verdict points at (first FIN or RST of the closing side). */
export function closeTime(connection: ConnectionReport, row: TimelineRow): number | null {
  if (connection.closedWith === 'fin') return connection.closedBy === 'client' ? row.clientFin : row.serverFin;
  if (connection.closedWith === 'rst') return connection.closedBy === 'client' ? row.clientRst : row.serverRst;
  return null;
}

export function closeLetter(connection: ConnectionReport): string {
  const letter = connection.closedBy === 'client' ? 'C' : 'S';
  return connection.closedWith === 'rst' ? letter.toLowerCase() : letter;
}

function legendLines(style: ViewStyle): string[] {
  const g = style.glyphs;
  const items = [
    `${g.handshake} handshake`,
    `${g.midStream} began before capture`,
    `${g.request} request`,
    `${g.data} data`,
    `${g.idle} idle`,
    'C/S closed by client/server with FIN',
    'c/s with RST',
  ];
  const lines: string[] = [];
  let line = 'legend:';
  for (const item of items) {
    if (line.length + 2 + item.length > style.width && line !== 'legend:') {
      lines.push(line);
      line = ' ';
    }
    line += `  ${item}`;
  }
  lines.push(line);
  return lines.map((l) => style.paint.dim(fit(l, style.width, g.ellipsis)));
}

/** The timeline of the report's connections (rows beyond those recorded are counted, not drawn). */
export function renderTimeline(report: Report, rows: readonly TimelineRow[], style: ViewStyle): string {
  const g = style.glyphs;
  const p = style.paint;
  const width = style.width;
  const byId = new Map(report.connections.map((connection) => [connection.id, connection]));
  const drawn = rows.filter((row) => byId.has(row.id));
  const lines: string[] = [];
  if (drawn.length === 0) {
    lines.push('timeline: no connections');
    return `${lines.join('\n')}\n`;
  }
  const t0 = Math.min(...drawn.map((row) => row.start));
  const t1 = Math.max(...drawn.map((row) => row.end));
  const span = t1 - t0;
  const unit = timeUnit(span, style.unicode);

  // `#3 10.0.0.1:54714`, or `#3 :54714` when addresses do not fit (the port still tells reuse).
  const labelCap = Math.max(8, Math.floor(width * 0.3));
  let labels = drawn.map((row) => `#${row.id} ${byId.get(row.id)!.client}`);
  if (Math.max(...labels.map((l) => l.length)) > labelCap) {
    labels = drawn.map((row) => {
      const client = byId.get(row.id)!.client;
      return `#${row.id} ${client.slice(client.lastIndexOf(':'))}`;
    });
  }
  const verdicts = drawn.map((row) => verdictText(byId.get(row.id)!));
  const verdictWidth = Math.max(...verdicts.map((v) => v.length));
  const labelWidth = Math.min(Math.max(...labels.map((l) => l.length)), labelCap);
  const barWidth = Math.max(10, width - labelWidth - verdictWidth - 2);
  const column = (time: number): number => (span > 0 ? Math.round(((time - t0) / span) * (barWidth - 1)) : 0);

  const title = `timeline · ${report.connections.length} connection${report.connections.length === 1 ? '' : 's'} · ${formatTime(span, unit)} ${unit.name}`;
  lines.push(p.strong(fit(style.unicode ? title : title.replaceAll('·', '-'), width, g.ellipsis)));
  const startText = `0 ${unit.name}`;
  const endText = `${formatTime(span, unit)} ${unit.name}`;
  const axisGap = Math.max(1, barWidth - startText.length - endText.length);
  lines.push(p.dim(`${' '.repeat(labelWidth + 1)}${startText}${' '.repeat(axisGap)}${endText}`));

  drawn.forEach((row, index) => {
    const connection = byId.get(row.id)!;
    const marks: Mark[] = new Array<Mark>(barWidth).fill(Mark.Empty);
    const put = (col: number, mark: Mark): void => {
      if (col >= 0 && col < barWidth && mark > marks[col]!) marks[col] = mark;
    };
    for (let c = column(row.start); c <= column(row.end); c++) put(c, Mark.Idle);
    for (const burst of row.bursts) {
      for (let c = column(burst.start); c <= column(burst.end); c++) put(c, Mark.Data);
    }
    for (const burst of row.bursts.slice(1)) put(column(burst.start), Mark.Request);
    // The opening, the first request and the close stay visible and in order even when the
    // connection is only a cell or two wide on the shared axis (refused, or one quick request).
    const opened = row.syn ?? row.synAck;
    const points: { column: number; mark: Mark }[] = [
      { column: column(opened ?? row.start), mark: opened !== null ? Mark.Handshake : Mark.MidStream },
    ];
    const firstBurst = row.bursts[0];
    if (firstBurst !== undefined) points.push({ column: column(firstBurst.start), mark: Mark.Request });
    const closed = closeTime(connection, row);
    if (closed !== null) points.push({ column: column(closed), mark: Mark.Close });
    for (let i = 1; i < points.length; i++) points[i]!.column = Math.max(points[i]!.column, points[i - 1]!.column + 1);
    for (let i = points.length - 1; i >= 0; i--) {
      const limit = i === points.length - 1 ? barWidth - 1 : points[i + 1]!.column - 1;
      points[i]!.column = Math.max(0, Math.min(points[i]!.column, limit));
    }
    for (const point of points) marks[point.column] = point.mark;
    let bar = '';
    let run = '';
    let runMark: Mark = Mark.Empty;
    const flush = (): void => {
      if (run === '') return;
      bar += paintMark(runMark, run, connection, style);
      run = '';
    };
    for (let c = 0; c < barWidth; c++) {
      const mark = marks[c]!;
      if (mark !== runMark) flush();
      runMark = mark;
      run += glyph(mark, connection, style);
    }
    flush();
    const label = fit(labels[index]!, labelWidth, g.ellipsis).padEnd(labelWidth);
    const verdict = verdicts[index]!;
    const paintVerdict = connection.closedWith === 'rst' ? p.rst : connection.closedWith === 'fin' ? p.fin : p.dim;
    lines.push(`${label} ${bar} ${paintVerdict(verdict)}`.trimEnd());
  });

  const missing = report.connections.length - drawn.length;
  if (missing > 0) lines.push(p.dim(fit(`${g.ellipsis} ${missing} more connection${missing === 1 ? '' : 's'} not drawn`, width, g.ellipsis)));
  lines.push(...legendLines(style));
  return `${lines.join('\n')}\n`;
}

function glyph(mark: Mark, connection: ConnectionReport, style: ViewStyle): string {
  const g = style.glyphs;
  switch (mark) {
    case Mark.Empty: return ' ';
    case Mark.Idle: return g.idle;
    case Mark.Data: return g.data;
    case Mark.Request: return g.request;
    case Mark.MidStream: return g.midStream;
    case Mark.Handshake: return g.handshake;
    case Mark.Close: return closeLetter(connection);
  }
}

function paintMark(mark: Mark, text: string, connection: ConnectionReport, style: ViewStyle): string {
  const p = style.paint;
  switch (mark) {
    case Mark.Empty: return text;
    case Mark.Idle: return p.dim(text);
    case Mark.Data: case Mark.Request: return p.http(text);
    case Mark.MidStream: case Mark.Handshake: return p.handshake(text);
    case Mark.Close: return p.strong(connection.closedWith === 'rst' ? p.rst(text) : p.fin(text));
  }
}
