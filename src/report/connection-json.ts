/**
 * One ConnectionReport as JSON, laid out exactly as `JSON.stringify(report, null, 2)` lays it
 * out inside the report's `connections` array (every line four spaces deeper), written byte by
 * byte into the output chunk: a generic stringify plus re-indenting, or even one template
 * string per connection, cost more than reading and tracking the whole capture once there are
 * 100k connections (see Utf8Chunks). test/report/connection-json.test.ts holds it to
 * JSON.stringify on every fixture and on generated reports.
 *
 * Text that came off the wire (request lines, SNI, HTTP version) goes through JSON.stringify;
 * everything else here is made by synfin from a fixed alphabet (addresses, ISO times, Zeek
 * letters, enum words) and needs no escaping.
 */
import type { RequestsReport, TlsReport } from './insight-model.js';
import type { ConnectionReport, EventReport, SidePair } from './model.js';
import { MAX_BYTES_PER_UNIT, Utf8Chunks } from './utf8-chunks.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

// The layout's constant parts, from one field's value to the next one's.
const OPEN = bytes('    {\n      "id": ');
const CLIENT = bytes(',\n      "client": "');
const SERVER = bytes('",\n      "server": "');
const ROLE_SOURCE = bytes('",\n      "roleSource": "');
const HANDSHAKE = bytes('",\n      "handshake": "');
const SYN_RETRANSMITS = bytes('",\n      "synRetransmits": ');
const FIRST_FIN = bytes(',\n      "firstFin": ');
const FIRST_RST = bytes(',\n      "firstRst": ');
const CLOSED_BY = bytes(',\n      "closedBy": ');
const CLOSED_WITH = bytes(',\n      "closedWith": ');
const SIMULTANEOUS_CLOSE = bytes(',\n      "simultaneousClose": ');
const PACKETS = bytes(',\n      "packets": ');
const PAYLOAD_BYTES = bytes(',\n      "payloadBytes": ');
const DATA_BURSTS = bytes(',\n      "dataBursts": ');
const START = bytes(',\n      "start": "');
const END = bytes('",\n      "end": "');
const DURATION = bytes('",\n      "durationMs": ');
const STATE = bytes(',\n      "state": "');
const HISTORY = bytes('",\n      "history": "');
const FIRST_PACKET = bytes('",\n      "firstPacket": {\n        "capture": ');
const FIRST_PACKET_PACKET = bytes(',\n        "packet": ');
const REQUESTS = bytes('\n      },\n      "requests": ');
const TLS = bytes(',\n      "tls": ');
const CLOSE = bytes('\n    }');

const PAIR_CLIENT = bytes('{\n        "client": ');
const PAIR_SERVER = bytes(',\n        "server": ');
const OBJECT_END = bytes('\n      }');

const EVENT_SIDE = bytes('{\n        "side": "');
const EVENT_TIME = bytes('",\n        "time": "');
const EVENT_CAPTURE = bytes('",\n        "capture": ');
const EVENT_PACKET = bytes(',\n        "packet": ');

const REQUESTS_COUNT = bytes('{\n        "count": ');
const REQUESTS_KNOWN = bytes(',\n        "known": ');
const REQUESTS_LINES = bytes(',\n        "lines": ');
const REQUESTS_RESPONSES = bytes(',\n        "responses": ');
const REQUESTS_STATUSES = bytes(',\n        "statuses": ');
const REQUESTS_CLOSE_REQUESTED_BY = bytes(',\n        "closeRequestedBy": ');
const REQUESTS_CLOSE_SIGNALS = bytes(',\n        "closeSignals": {\n          "client": ');
const REQUESTS_SIGNAL_SERVER = bytes(',\n          "server": ');
const REQUESTS_HTTP_VERSION = bytes('\n        },\n        "httpVersion": ');

const TLS_HANDSHAKES = bytes('{\n        "handshakes": ');
const TLS_SNI = bytes(',\n        "sni": ');
const TLS_RESUMED = bytes(',\n        "resumed": ');

const LIST_EMPTY = bytes('[]');
const LIST_OPEN = bytes('[\n          ');
const LIST_NEXT = bytes(',\n          ');
const LIST_CLOSE = bytes('\n        ]');

const NULL = bytes('null');
const TRUE = bytes('true');
const FALSE = bytes('false');
const QUOTE = bytes('"');

/** Room for everything but the variable text: constant parts, numbers, enum words. */
const FIXED_BYTES = 4096;

function boolean(out: Utf8Chunks, value: boolean): void {
  out.ascii(value ? TRUE : FALSE);
}

/** An enum word or null. */
function word(out: Utf8Chunks, value: string | null): void {
  if (value === null) {
    out.ascii(NULL);
    return;
  }
  out.ascii(QUOTE);
  out.text(value);
  out.ascii(QUOTE);
}

function pair(out: Utf8Chunks, pair: SidePair): void {
  out.ascii(PAIR_CLIENT);
  out.integer(pair.client);
  out.ascii(PAIR_SERVER);
  out.integer(pair.server);
  out.ascii(OBJECT_END);
}

function event(out: Utf8Chunks, found: EventReport | null): void {
  if (found === null) {
    out.ascii(NULL);
    return;
  }
  out.ascii(EVENT_SIDE);
  out.text(found.side);
  out.ascii(EVENT_TIME);
  out.text(found.time);
  out.ascii(EVENT_CAPTURE);
  out.integer(found.capture);
  out.ascii(EVENT_PACKET);
  out.integer(found.packet);
  out.ascii(OBJECT_END);
}

/** Request lines, statuses: items at the requests object's depth. */
function list(out: Utf8Chunks, items: readonly string[] | readonly number[]): void {
  if (items.length === 0) {
    out.ascii(LIST_EMPTY);
    return;
  }
  for (let i = 0; i < items.length; i++) {
    out.ascii(i === 0 ? LIST_OPEN : LIST_NEXT);
    const item = items[i]!;
    if (typeof item === 'number') out.integer(item);
    else out.text(item);
  }
  out.ascii(LIST_CLOSE);
}

/** Wire text as JSON strings, escaped before the room for them is reserved. */
interface WireText {
  lines: string[];
  httpVersion: string;
  sni: string;
  length: number;
}

function wireText(connection: ConnectionReport): WireText {
  const { requests, tls } = connection;
  const lines = requests === null ? [] : requests.lines.map((line) => JSON.stringify(line));
  const httpVersion = requests?.httpVersion == null ? 'null' : JSON.stringify(requests.httpVersion);
  const sni = tls?.sni == null ? 'null' : JSON.stringify(tls.sni);
  let length = httpVersion.length + sni.length;
  for (const line of lines) length += line.length;
  return { lines, httpVersion, sni, length };
}

function requests(out: Utf8Chunks, found: RequestsReport | null, wire: WireText): void {
  if (found === null) {
    out.ascii(NULL);
    return;
  }
  out.ascii(REQUESTS_COUNT);
  out.integer(found.count);
  out.ascii(REQUESTS_KNOWN);
  boolean(out, found.known);
  out.ascii(REQUESTS_LINES);
  list(out, wire.lines);
  out.ascii(REQUESTS_RESPONSES);
  out.integer(found.responses);
  out.ascii(REQUESTS_STATUSES);
  list(out, found.statuses);
  out.ascii(REQUESTS_CLOSE_REQUESTED_BY);
  word(out, found.closeRequestedBy);
  out.ascii(REQUESTS_CLOSE_SIGNALS);
  word(out, found.closeSignals.client);
  out.ascii(REQUESTS_SIGNAL_SERVER);
  word(out, found.closeSignals.server);
  out.ascii(REQUESTS_HTTP_VERSION);
  out.text(wire.httpVersion);
  out.ascii(OBJECT_END);
}

function tls(out: Utf8Chunks, found: TlsReport | null, wire: WireText): void {
  if (found === null) {
    out.ascii(NULL);
    return;
  }
  out.ascii(TLS_HANDSHAKES);
  out.integer(found.handshakes);
  out.ascii(TLS_SNI);
  out.text(wire.sni);
  out.ascii(TLS_RESUMED);
  boolean(out, found.resumed);
  out.ascii(OBJECT_END);
}

/**
 * `connection` as it appears in `--json`, from its opening brace (indented) to its closing
 * brace, into `out`; returns the chunk that had to be handed on first, if one did.
 */
export function writeConnectionJson(out: Utf8Chunks, connection: ConnectionReport): Uint8Array | undefined {
  const wire = wireText(connection);
  const variable = connection.client.length + connection.server.length + connection.history.length + connection.start.length + connection.end.length + wire.length;
  const full = out.reserve(FIXED_BYTES + variable * MAX_BYTES_PER_UNIT);
  out.ascii(OPEN);
  out.integer(connection.id);
  out.ascii(CLIENT);
  out.text(connection.client);
  out.ascii(SERVER);
  out.text(connection.server);
  out.ascii(ROLE_SOURCE);
  out.text(connection.roleSource);
  out.ascii(HANDSHAKE);
  out.text(connection.handshake);
  out.ascii(SYN_RETRANSMITS);
  out.integer(connection.synRetransmits);
  out.ascii(FIRST_FIN);
  event(out, connection.firstFin);
  out.ascii(FIRST_RST);
  event(out, connection.firstRst);
  out.ascii(CLOSED_BY);
  word(out, connection.closedBy);
  out.ascii(CLOSED_WITH);
  word(out, connection.closedWith);
  out.ascii(SIMULTANEOUS_CLOSE);
  boolean(out, connection.simultaneousClose);
  out.ascii(PACKETS);
  pair(out, connection.packets);
  out.ascii(PAYLOAD_BYTES);
  pair(out, connection.payloadBytes);
  out.ascii(DATA_BURSTS);
  pair(out, connection.dataBursts);
  out.ascii(START);
  out.text(connection.start);
  out.ascii(END);
  out.text(connection.end);
  out.ascii(DURATION);
  out.number(connection.durationMs);
  out.ascii(STATE);
  out.text(connection.state);
  out.ascii(HISTORY);
  out.text(connection.history);
  out.ascii(FIRST_PACKET);
  out.integer(connection.firstPacket.capture);
  out.ascii(FIRST_PACKET_PACKET);
  out.integer(connection.firstPacket.packet);
  out.ascii(REQUESTS);
  requests(out, connection.requests, wire);
  out.ascii(TLS);
  tls(out, connection.tls, wire);
  out.ascii(CLOSE);
  return full;
}

/** The same text as a string (for tests and small outputs). */
export function connectionJson(connection: ConnectionReport): string {
  const out = new Utf8Chunks();
  const first = writeConnectionJson(out, connection);
  const rest = out.take();
  return Buffer.concat([first ?? new Uint8Array(0), rest ?? new Uint8Array(0)]).toString('utf8');
}
