/**
 * "Did the client reuse its connections, and if not, who or what prevented it?" — answered per
 * server endpoint by a pure function of the connection reports: request counts, close signals
 * in the HTTP headers, and who closed each connection. Nothing here is guessed: when a count
 * is not known the verdict says so.
 */
import type { CloseSignal, Verdict, VerdictReason } from './insight-model.js';
import type { ConnectionReport } from './model.js';

/** What a verdict reads of a connection (streaming builds just these fields). */
export type VerdictEvidence = Pick<ConnectionReport, 'server' | 'closedBy' | 'closedWith' | 'requests' | 'tls'>;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Requests over all connections, and requests per connection that carried any. */
export function requestTotals(connections: readonly Pick<ConnectionReport, 'requests'>[]): { requests: number; reuseRatio: number | null } {
  let requests = 0;
  let carrying = 0;
  for (const connection of connections) {
    const count = connection.requests?.count ?? 0;
    requests += count;
    if (count > 0) carrying++;
  }
  return { requests, reuseRatio: carrying === 0 ? null : Math.round((requests / carrying) * 1000) / 1000 };
}

type Ending = Exclude<VerdictReason, 'reused' | 'single-request' | 'encrypted' | 'unknown'>;

/** Why one connection carried no further request, from its own evidence. */
function endingOf(connection: VerdictEvidence): Ending {
  const signals = connection.requests?.closeSignals;
  if (signals?.server) return 'server-announced-close';
  if (signals?.client) return 'client-requested-close';
  if (connection.closedBy === 'server') return 'server-closed';
  if (connection.closedBy === 'client') return 'client-closed';
  return 'still-open';
}

function signalText(signal: CloseSignal, side: 'request' | 'response'): string {
  return signal === 'connection-close' ? `Connection: close in the ${side}` : `HTTP/1.0 ${side} without keep-alive`;
}

/** ` with FIN`, ` with RST`, ` with FIN or RST`. */
function closeHow(connections: readonly VerdictEvidence[]): string {
  const how = new Set<string>();
  for (const connection of connections) if (connection.closedWith !== null) how.add(connection.closedWith.toUpperCase());
  return how.size === 0 ? '' : ` with ${[...how].join(' or ')}`;
}

function endingText(ending: Ending, group: readonly VerdictEvidence[]): string {
  const each = 'each connection';
  const serverSignal = group.find((c) => c.requests?.closeSignals.server)?.requests?.closeSignals.server;
  const clientSignal = group.find((c) => c.requests?.closeSignals.client)?.requests?.closeSignals.client;
  switch (ending) {
    case 'server-announced-close': {
      const closer = group.every((c) => c.closedBy === 'server')
        ? `the server closed ${each} after its response`
        : `the server announced the close of ${each} in its response`;
      const also = clientSignal ? `, to ${requestText(clientSignal)}` : '';
      return `${closer} (${signalText(serverSignal!, 'response')}${also})`;
    }
    case 'client-requested-close':
      return `the client asked to close ${each} (${signalText(clientSignal!, 'request')})`;
    case 'server-closed':
      return `the server closed ${each}${closeHow(group)} after its response, without announcing it`;
    case 'client-closed':
      return `the client closed ${each}${closeHow(group)} before its next request`;
    case 'still-open':
      return `${each} was still open when the capture ended`;
  }
}

function requestText(signal: CloseSignal): string {
  return signal === 'connection-close' ? 'a request with Connection: close' : 'an HTTP/1.0 request without keep-alive';
}

const ENDING_ORDER: readonly Ending[] = ['server-announced-close', 'client-requested-close', 'server-closed', 'client-closed', 'still-open'];

/** The most common way connections ended, and the connections that ended that way. */
function commonEnding(connections: readonly VerdictEvidence[]): { ending: Ending; group: VerdictEvidence[] } {
  const groups = new Map<Ending, VerdictEvidence[]>();
  for (const connection of connections) {
    const ending = endingOf(connection);
    const group = groups.get(ending) ?? [];
    group.push(connection);
    groups.set(ending, group);
  }
  let best: Ending = 'still-open';
  let bestSize = -1;
  for (const ending of ENDING_ORDER) {
    const size = groups.get(ending)?.length ?? 0;
    if (size > bestSize) {
      best = ending;
      bestSize = size;
    }
  }
  return { ending: best, group: groups.get(best) ?? [] };
}

function httpVerdict(server: string, connections: readonly VerdictEvidence[]): Verdict {
  const counts = connections.map((c) => c.requests!.count);
  const requests = counts.reduce((a, b) => a + b, 0);
  // A loop, not Math.max(...counts): spreading 100k+ arguments overflows the stack.
  let most = 0;
  for (const count of counts) if (count > most) most = count;
  const unknown = connections.filter((c) => !c.requests!.known).length;
  const tally = `${plural(requests, 'request')} / ${plural(connections.length, 'connection')}`;
  const make = (reused: boolean, reason: VerdictReason, words: string): Verdict => ({
    server,
    connections: connections.length,
    requests,
    reused,
    reason,
    text: `${server}  ${words}`,
  });

  if (most >= 2) {
    const reusedCount = counts.filter((n) => n >= 2).length;
    if (connections.length === 1) return make(true, 'reused', `1 connection carried ${plural(requests, 'request')} — reused`);
    const singles = connections.filter((c) => c.requests!.count < 2);
    let words = `${tally} — reused: ${reusedCount} of ${connections.length} connections carried several requests (up to ${most})`;
    if (singles.length > 0) {
      const { ending, group } = commonEnding(singles);
      const text = endingText(ending, group).replace('each connection', group.length === 1 ? 'the other connection' : 'the other connections');
      words += `; ${text}`;
    }
    return make(true, 'reused', words);
  }
  if (unknown > 0) {
    return make(false, 'unknown', `${tally} — unknown: ${unknown} of ${connections.length} connections were not seen whole (capture began mid-connection, or bytes were cut or missing)`);
  }
  if (requests <= 1 && connections.length === 1) {
    const { ending, group } = commonEnding(connections);
    const what = requests === 0 ? 'no request was seen' : 'a single request, nothing to reuse the connection for';
    return make(false, 'single-request', `${tally} — ${what}; ${endingText(ending, group).replace('each connection', 'the connection')}`);
  }
  const { ending, group } = commonEnding(connections);
  let text = endingText(ending, group);
  if (group.length < connections.length) text = text.replace('each connection', `${group.length} of ${connections.length} connections`);
  return make(false, ending, `${tally} — no reuse: ${text}`);
}

function tlsVerdict(server: string, connections: readonly VerdictEvidence[]): Verdict {
  const handshakes = connections.reduce((sum, c) => sum + c.tls!.handshakes, 0);
  const resumed = connections.filter((c) => c.tls!.resumed).length;
  const sessions = resumed === 0 ? 'every handshake was a full one' : `${resumed} of ${connections.length} resumed a session`;
  const closers = { client: 0, server: 0 };
  for (const connection of connections) if (connection.closedBy !== null) closers[connection.closedBy]++;
  const closed = (['server', 'client'] as const)
    .filter((side) => closers[side] > 0)
    .map((side) => `the ${side} closed ${closers[side] === connections.length ? (connections.length === 1 ? 'it' : 'each connection') : `${closers[side]} of ${connections.length}`}`);
  const ending = closed.length > 0 ? `; ${closed.join(', ')}` : '';
  return {
    server,
    connections: connections.length,
    requests: 0,
    reused: false,
    reason: 'encrypted',
    text: `${server}  ${plural(connections.length, 'connection')}, ${plural(handshakes, 'TLS handshake')} — requests encrypted, reuse not visible; ${sessions}${ending}`,
  };
}

/** One verdict per server endpoint that carried HTTP (else TLS), in order of first connection. */
export function verdictsOf(connections: readonly VerdictEvidence[]): Verdict[] {
  const byServer = new Map<string, { http: VerdictEvidence[]; tls: VerdictEvidence[] }>();
  for (const connection of connections) {
    if (connection.requests === null && connection.tls === null) continue;
    let entry = byServer.get(connection.server);
    if (entry === undefined) byServer.set(connection.server, (entry = { http: [], tls: [] }));
    if (connection.requests !== null) entry.http.push(connection);
    else entry.tls.push(connection);
  }
  const verdicts: Verdict[] = [];
  for (const [server, { http, tls }] of byServer) {
    verdicts.push(http.length > 0 ? httpVerdict(server, http) : tlsVerdict(server, tls));
  }
  return verdicts;
}
