/**
 * One self-contained HTML page (no script, no network): the connection table, the timeline as
 * SVG, and a ladder per recorded connection as SVG. Everything comes from the Report and the
 * recorded view data, like the terminal pictures.
 */
import { TcpFlag } from '../decode/constants.js';
import type { ConnectionReport, Report } from '../report/model.js';
import { formatDuration, summaryLine } from '../report/table.js';
import { closingText, stepLabel } from './ladder.js';
import type { LadderData, LadderStep, TimelineRow, ViewData } from './record.js';
import { formatTime, timeUnit } from './style.js';
import { closeLetter, closeTime, verdictText } from './timeline.js';

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Numbers in SVG attributes: short, and the same on every run. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

const CSS = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; background: #fff; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; font-family: ui-monospace, monospace; }
table { border-collapse: collapse; font-family: ui-monospace, monospace; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; }
th { background: #f3f3f3; }
svg { display: block; max-width: 100%; height: auto; font-family: ui-monospace, monospace; font-size: 12px; }
.idle { stroke: #999; stroke-width: 2; }
.data { fill: #2a8a2a; }
.request { fill: #2a8a2a; }
.handshake { fill: #1f77b4; }
text.fin { fill: #c98a00; } text.rst { fill: #c62828; }
.lane { stroke: #444; stroke-width: 1.5; }
.step { stroke: #555; stroke-width: 1.2; }
.step.syn { stroke: #1f77b4; } .step.fin { stroke: #c98a00; } .step.rst { stroke: #c62828; }
.step.retransmission { stroke: #8e24aa; stroke-dasharray: 4 3; }
.step.closer { stroke-width: 3; }
.label.closer { font-weight: bold; text-decoration: underline; }
.note { fill: #666; }
.verdict { font-weight: bold; }
.muted { color: #666; }
`;

function tableHtml(report: Report): string {
  const head = ['#', 'client', 'server', 'handshake', 'packets c→s / s→c', 'bytes c→s / s→c', 'duration', 'state', 'closed by'];
  const rows = report.connections.map((c) => {
    const closed = c.closedBy === null ? 'open' : `${c.closedBy} ${c.closedWith!.toUpperCase()}`;
    const cells = [
      String(c.id), c.client, c.server, c.handshake, `${c.packets.client} / ${c.packets.server}`,
      `${c.payloadBytes.client} / ${c.payloadBytes.server}`, formatDuration(c.durationMs), c.state, closed,
    ];
    return `<tr data-id="${c.id}">${cells.map((cell) => `<td>${escape(cell)}</td>`).join('')}</tr>`;
  });
  return `<table id="connections-table"><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>`;
}

function timelineSvg(report: Report, rows: readonly TimelineRow[]): string {
  const byId = new Map(report.connections.map((c) => [c.id, c]));
  const drawn = rows.filter((row) => byId.has(row.id));
  if (drawn.length === 0) return '<p class="muted">No connections.</p>';
  const labelWidth = 260;
  const barWidth = 700;
  const verdictWidth = 110;
  const rowHeight = 22;
  const top = 28;
  const width = labelWidth + barWidth + verdictWidth;
  const height = top + rowHeight * drawn.length + 10;
  const t0 = Math.min(...drawn.map((r) => r.start));
  const t1 = Math.max(...drawn.map((r) => r.end));
  const span = t1 - t0;
  const unit = timeUnit(span, true);
  const x = (time: number): number => labelWidth + (span > 0 ? ((time - t0) / span) * barWidth : 0);
  const parts: string[] = [
    `<text x="${labelWidth}" y="16">0 ${unit.name}</text>`,
    `<text x="${labelWidth + barWidth}" y="16" text-anchor="end">${escape(`${formatTime(span, unit)} ${unit.name}`)}</text>`,
  ];
  drawn.forEach((row, index) => {
    const c = byId.get(row.id)!;
    const y = top + index * rowHeight + rowHeight / 2;
    const g: string[] = [];
    g.push(`<text x="4" y="${n(y + 4)}">${escape(`#${c.id} ${c.client}`)}</text>`);
    g.push(`<line class="idle" x1="${n(x(row.start))}" y1="${n(y)}" x2="${n(Math.max(x(row.end), x(row.start) + 1))}" y2="${n(y)}"/>`);
    for (const burst of row.bursts) {
      g.push(`<rect class="data" x="${n(x(burst.start))}" y="${n(y - 4)}" width="${n(Math.max(2, x(burst.end) - x(burst.start)))}" height="8"/>`);
      g.push(`<circle class="request" cx="${n(x(burst.start))}" cy="${n(y)}" r="4"/>`);
    }
    const opened = row.syn ?? row.synAck;
    if (opened !== null) {
      const hx = x(opened);
      g.push(`<polygon class="handshake" points="${n(hx - 5)},${n(y - 6)} ${n(hx + 5)},${n(y)} ${n(hx - 5)},${n(y + 6)}"/>`);
    }
    const closed = closeTime(c, row);
    if (closed !== null) {
      g.push(`<text class="close ${c.closedWith}" x="${n(x(closed) + 3)}" y="${n(y + 4)}">${closeLetter(c)}</text>`);
    }
    const verdict = verdictText(c);
    g.push(`<text class="verdict${c.closedWith ? ` ${c.closedWith}` : ''}" x="${labelWidth + barWidth + 12}" y="${n(y + 4)}">${escape(verdict)}</text>`);
    parts.push(`<g class="row" data-id="${c.id}" data-closed-by="${c.closedBy ?? 'open'}">${g.join('')}</g>`);
  });
  return `<svg id="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="timeline of ${drawn.length} connections">${parts.join('')}</svg>`;
}

function ladderSvg(connection: ConnectionReport, data: LadderData): string {
  const steps = [...data.head, ...data.tail];
  const clientX = 110;
  const serverX = 560;
  const rowHeight = 26;
  const top = 40;
  const gapRows = data.omitted > 0 ? 1 : 0;
  const height = top + rowHeight * (steps.length + gapRows) + 10;
  const width = 820;
  const lastTime = steps.reduce((max, s) => Math.max(max, s.endTime), 0);
  const unit = timeUnit(lastTime, true);
  const marker = `arrow-${connection.id}`;
  const parts: string[] = [
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>`,
    `<text x="${clientX}" y="16" text-anchor="middle">client</text>`,
    `<text x="${serverX}" y="16" text-anchor="middle">server</text>`,
    `<text x="${clientX - 14}" y="34" text-anchor="end" class="note">${unit.name}</text>`,
    `<line class="lane" x1="${clientX}" y1="22" x2="${clientX}" y2="${height - 4}"/>`,
    `<line class="lane" x1="${serverX}" y1="22" x2="${serverX}" y2="${height - 4}"/>`,
  ];
  let row = 0;
  const drawStep = (step: LadderStep): void => {
    const y = top + row * rowHeight + 14;
    row++;
    const [x1, x2] = step.fromClient ? [clientX, serverX] : [serverX, clientX];
    const closer = (connection.closedWith === 'fin' && step.firstFin) || (connection.closedWith === 'rst' && step.firstRst);
    const kinds = [
      'step',
      step.flags & TcpFlag.RST ? 'rst' : step.flags & TcpFlag.FIN ? 'fin' : step.flags & TcpFlag.SYN ? 'syn' : step.http ? 'http' : step.payloadBytes > 0 ? 'data' : 'ack',
      step.retransmission ? 'retransmission' : '',
      closer ? 'closer' : '',
      step.fromClient ? 'from-client' : 'from-server',
    ].filter(Boolean).join(' ');
    const notes = [
      step.payloadBytes > 0 ? `${step.payloadBytes} B` : '',
      step.retransmission ? '↻ retransmission' : '',
      step.interleaved ? 'interleaved' : '',
      step.firstFin ? (connection.closedWith === 'fin' ? 'first FIN: closes' : 'first FIN') : '',
      !step.firstFin && closer ? 'RST: closes' : '',
    ].filter(Boolean).join(' · ');
    parts.push(
      `<g class="ladder-step" data-packet="${step.packet}" data-from="${step.fromClient ? 'client' : 'server'}">` +
        `<text x="${clientX - 14}" y="${n(y + 4)}" text-anchor="end">${formatTime(step.time, unit)}</text>` +
        `<line class="${kinds}" x1="${x1}" y1="${n(y)}" x2="${x2}" y2="${n(y)}" marker-end="url(#${marker})"/>` +
        `<text class="label${step.flags & TcpFlag.RST ? ' rst' : step.flags & TcpFlag.FIN ? ' fin' : ''}${closer ? ' closer' : ''}" x="${(clientX + serverX) / 2}" y="${n(y - 4)}" text-anchor="middle">${escape(stepLabel(step, '×'))}</text>` +
        (notes ? `<text class="note" x="${serverX + 12}" y="${n(y + 4)}">${escape(notes)}</text>` : '') +
        '</g>',
    );
  };
  data.head.forEach(drawStep);
  if (data.omitted > 0) {
    const y = top + row * rowHeight + 14;
    row++;
    parts.push(`<text class="note omitted" x="${(clientX + serverX) / 2}" y="${n(y)}" text-anchor="middle">… ${data.omitted} packets not drawn …</text>`);
  }
  data.tail.forEach(drawStep);
  return `<svg class="ladder-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="ladder of connection ${connection.id}">${parts.join('')}</svg>`;
}

/** The whole page. `title` names the capture(s). */
export function renderHtml(report: Report, data: ViewData, title: string): string {
  const byId = new Map(report.connections.map((c) => [c.id, c]));
  const ladders = data.ladders
    .filter((ladder) => byId.has(ladder.id))
    .map((ladder) => {
      const c = byId.get(ladder.id)!;
      return `<article class="ladder" id="ladder-${c.id}" data-closed-by="${c.closedBy ?? 'open'}" data-closed-with="${c.closedWith ?? 'none'}">` +
        `<h3>${escape(`#${c.id}  ${c.client} → ${c.server}`)}</h3>` +
        `<p class="muted">${escape(`handshake ${c.handshake} · ${c.state} · ${c.history}`)}</p>` +
        ladderSvg(c, ladder) +
        `<p class="verdict">${escape(closingText(c))}</p></article>`;
    });
  const missing = report.connections.length - data.ladders.filter((l) => byId.has(l.id)).length;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(`synfin: ${title}`)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>${escape(`synfin: ${title}`)}</h1>`,
    `<p id="summary">${escape(summaryLine(report.summary, report.connections))}</p>`,
    `<section id="connections"><h2>Connections</h2>${tableHtml(report)}</section>`,
    `<section id="timeline"><h2>Timeline</h2>${timelineSvg(report, data.timeline)}` +
      '<p class="muted">▲ handshake · ● request · green: data · C/S closed by client/server with FIN, c/s with RST</p></section>',
    `<section id="ladders"><h2>Ladders</h2>${ladders.join('')}` +
      (missing > 0 ? `<p class="muted">${missing} more connection${missing === 1 ? '' : 's'} not drawn.</p>` : '') +
      '</section>',
    '</body></html>',
    '',
  ].join('\n');
}
