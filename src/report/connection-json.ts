/**
 * One ConnectionReport as JSON text, laid out exactly as `JSON.stringify(report, null, 2)` lays
 * it out inside the report's `connections` array (every line four spaces deeper). Written field
 * by field because a generic stringify followed by re-indenting cost more than reading and
 * tracking the whole capture once there are 100k connections; test/report/connection-json.test.ts
 * holds it to JSON.stringify on every fixture and on generated reports.
 *
 * Text that came off the wire (request lines, SNI, HTTP version) goes through JSON.stringify;
 * everything else here is made by synfin from a fixed alphabet (addresses, ISO times, Zeek
 * letters, enum words) and needs no escaping.
 */
import type { RequestsReport, TlsReport } from './insight-model.js';
import { decimal } from '../decode/decimal.js';
import type { ConnectionReport, EventReport, SidePair } from './model.js';

/** JSON's rendering of a number: non-finite numbers become null. */
function num(value: number): string {
  return Number.isFinite(value) ? decimal(value) : 'null';
}

function word(value: string | null): string {
  return value === null ? 'null' : `"${value}"`;
}

/**
 * The wire text quoted last: a capture's connections mostly share one HTTP version, or one SNI.
 * One comparison, where quotedLine() below looks up a map: going through that map as well cost
 * ~13 ms per 100k connections, and the version would never be the line quoted just before it.
 */
let lastWire = '';
let lastWireJson = '""';

function wire(value: string | null): string {
  if (value === null) return 'null';
  if (value !== lastWire) {
    lastWire = value;
    lastWireJson = JSON.stringify(value);
  }
  return lastWireJson;
}

/**
 * Request lines already quoted, by line: most connections repeat a few (the same call, a health
 * check), and quoting one takes a scan and a copy. Bounded in count, like the server endpoints
 * in build.ts, and in length: a line may be up to 8 KiB (HEAD_LIMIT), and long ones rarely repeat.
 */
const quotedLines = new Map<string, string>();
const QUOTED_LINES_KEPT = 1024;
const QUOTED_LINE_MAX = 512;

function quotedLine(line: string): string {
  if (line.length > QUOTED_LINE_MAX) return JSON.stringify(line);
  let json = quotedLines.get(line);
  if (json === undefined) {
    if (quotedLines.size >= QUOTED_LINES_KEPT) quotedLines.clear();
    json = JSON.stringify(line);
    quotedLines.set(line, json);
  }
  return json;
}

function pair(pair: SidePair): string {
  return `{\n        "client": ${num(pair.client)},\n        "server": ${num(pair.server)}\n      }`;
}

function event(found: EventReport | null): string {
  if (found === null) return 'null';
  return `{\n        "side": "${found.side}",\n        "time": "${found.time}",\n        "capture": ${num(found.capture)},\n        "packet": ${num(found.packet)}\n      }`;
}

/** An array at the requests object's depth, each item rendered by `render` (no array of texts made). */
function list<T>(items: readonly T[], render: (item: T) => string): string {
  if (items.length === 0) return '[]';
  let text = `[\n          ${render(items[0]!)}`;
  for (let i = 1; i < items.length; i++) text += `,\n          ${render(items[i]!)}`;
  return `${text}\n        ]`;
}

function requests(found: RequestsReport | null): string {
  if (found === null) return 'null';
  const { closeSignals } = found;
  return `{\n        "count": ${num(found.count)},\n        "known": ${found.known},\n        "lines": ${list(found.lines, quotedLine)},\n        "responses": ${num(found.responses)},\n        "statuses": ${list(found.statuses, num)},\n        "closeRequestedBy": ${word(found.closeRequestedBy)},\n        "closeSignals": {\n          "client": ${word(closeSignals.client)},\n          "server": ${word(closeSignals.server)}\n        },\n        "httpVersion": ${wire(found.httpVersion)}\n      }`;
}

function tls(found: TlsReport | null): string {
  if (found === null) return 'null';
  return `{\n        "handshakes": ${num(found.handshakes)},\n        "sni": ${wire(found.sni)},\n        "resumed": ${found.resumed}\n      }`;
}

/** `connection` as it appears in `--json`: from its opening brace (indented) to its closing brace. */
export function connectionJson(connection: ConnectionReport): string {
  const { firstPacket } = connection;
  return `    {\n      "id": ${num(connection.id)},\n      "client": "${connection.client}",\n      "server": "${connection.server}",\n      "roleSource": "${connection.roleSource}",\n      "handshake": "${connection.handshake}",\n      "synRetransmits": ${num(connection.synRetransmits)},\n      "firstFin": ${event(connection.firstFin)},\n      "firstRst": ${event(connection.firstRst)},\n      "closedBy": ${word(connection.closedBy)},\n      "closedWith": ${word(connection.closedWith)},\n      "simultaneousClose": ${connection.simultaneousClose},\n      "packets": ${pair(connection.packets)},\n      "payloadBytes": ${pair(connection.payloadBytes)},\n      "dataBursts": ${pair(connection.dataBursts)},\n      "start": "${connection.start}",\n      "end": "${connection.end}",\n      "durationMs": ${num(connection.durationMs)},\n      "state": "${connection.state}",\n      "history": "${connection.history}",\n      "firstPacket": {\n        "capture": ${num(firstPacket.capture)},\n        "packet": ${num(firstPacket.packet)}\n      },\n      "requests": ${requests(connection.requests)},\n      "tls": ${tls(connection.tls)}\n    }`;
}
