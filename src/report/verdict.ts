/**
 * "Did the client reuse its connections, and if not, who or what prevented it?" — answered per
 * server endpoint by a pure function of the connection reports: request counts, close signals
 * in the HTTP headers, and who closed each connection. Nothing here is guessed: when a count
 * is not known the verdict says so.
 */
import type { Side } from '../track/classify.js';
import type { CloseSignal, RequestsEvidence, RequestsReport, TlsReport, Verdict, VerdictReason } from './insight-model.js';
import type { ConnectionReport } from './model.js';

/** What a verdict reads of a connection. */
export type VerdictEvidence = Pick<ConnectionReport, 'server' | 'closedBy' | 'closedWith' | 'requests' | 'tls'>;

type TlsEvidence = Pick<TlsReport, 'handshakes' | 'resumed'>;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** Requests over all connections, and requests per connection that carried any. */
export function requestTotals(connections: readonly Pick<ConnectionReport, 'requests'>[]): { requests: number; reuseRatio: number | null } {
  const tally = new VerdictTally();
  for (const connection of connections) tally.addRequests(connection.requests);
  return tally.totals();
}

type Ending = Exclude<VerdictReason, 'reused' | 'single-request' | 'encrypted' | 'unknown'>;

const ENDING_ORDER: readonly Ending[] = ['server-announced-close', 'client-requested-close', 'server-closed', 'client-closed', 'still-open'];

/** Why one connection carried no further request, from its own evidence. */
function endingOf(requests: RequestsEvidence, closedBy: Side | null): Ending {
  const signals = requests.closeSignals;
  if (signals.server) return 'server-announced-close';
  if (signals.client) return 'client-requested-close';
  if (closedBy === 'server') return 'server-closed';
  if (closedBy === 'client') return 'client-closed';
  return 'still-open';
}

/** What the words about a group of connections that ended the same way need: counted, not kept. */
class EndingGroup {
  size = 0;
  /** The first close signal of each side in the group. */
  serverSignal: CloseSignal | null = null;
  clientSignal: CloseSignal | null = null;
  everyServerClosed = true;
  /** FIN and RST in the order first seen. */
  readonly how: string[] = [];

  add(requests: RequestsEvidence, closedBy: Side | null, closedWith: 'fin' | 'rst' | null): void {
    this.size++;
    this.serverSignal ??= requests.closeSignals.server || null;
    this.clientSignal ??= requests.closeSignals.client || null;
    if (closedBy !== 'server') this.everyServerClosed = false;
    if (closedWith !== null) {
      const word = closedWith === 'fin' ? 'FIN' : 'RST';
      if (!this.how.includes(word)) this.how.push(word);
    }
  }
}

/** Connections by the way they ended; the most common way (ENDING_ORDER breaks ties). */
class Endings {
  private readonly groups = new Map<Ending, EndingGroup>();

  add(requests: RequestsEvidence, closedBy: Side | null, closedWith: 'fin' | 'rst' | null): void {
    const ending = endingOf(requests, closedBy);
    let group = this.groups.get(ending);
    if (group === undefined) this.groups.set(ending, (group = new EndingGroup()));
    group.add(requests, closedBy, closedWith);
  }

  common(): { ending: Ending; group: EndingGroup } {
    let best: Ending = 'still-open';
    let bestSize = -1;
    for (const ending of ENDING_ORDER) {
      const size = this.groups.get(ending)?.size ?? 0;
      if (size > bestSize) {
        best = ending;
        bestSize = size;
      }
    }
    return { ending: best, group: this.groups.get(best) ?? new EndingGroup() };
  }
}

/** One server's connections, summed up as they are added. */
class ServerTally {
  // HTTP connections.
  http = 0;
  requests = 0;
  most = 0;
  reused = 0;
  unknown = 0;
  readonly all = new Endings();
  /** Connections that carried fewer than two requests (told apart when others were reused). */
  readonly singles = new Endings();
  // TLS connections that carried no HTTP.
  tls = 0;
  handshakes = 0;
  resumed = 0;
  readonly closers = { client: 0, server: 0 };

  constructor(readonly server: string) {}
}

function signalText(signal: CloseSignal, side: 'request' | 'response'): string {
  return signal === 'connection-close' ? `Connection: close in the ${side}` : `HTTP/1.0 ${side} without keep-alive`;
}

/** ` with FIN`, ` with RST`, ` with FIN or RST`. */
function closeHow(group: EndingGroup): string {
  return group.how.length === 0 ? '' : ` with ${group.how.join(' or ')}`;
}

function endingText(ending: Ending, group: EndingGroup): string {
  const each = 'each connection';
  const { serverSignal, clientSignal } = group;
  switch (ending) {
    case 'server-announced-close': {
      const closer = group.everyServerClosed
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

function httpVerdict(tally: ServerTally): Verdict {
  const { server, requests, most } = tally;
  const connections = tally.http;
  const words = `${plural(requests, 'request')} / ${plural(connections, 'connection')}`;
  const make = (reused: boolean, reason: VerdictReason, text: string): Verdict => ({
    server,
    connections,
    requests,
    reused,
    reason,
    text: `${server}  ${text}`,
  });

  if (most >= 2) {
    if (connections === 1) return make(true, 'reused', `1 connection carried ${plural(requests, 'request')} — reused`);
    let text = `${words} — reused: ${tally.reused} of ${connections} connections carried several requests (up to ${most})`;
    if (tally.reused < connections) {
      const { ending, group } = tally.singles.common();
      text += `; ${endingText(ending, group).replace('each connection', group.size === 1 ? 'the other connection' : 'the other connections')}`;
    }
    return make(true, 'reused', text);
  }
  if (tally.unknown > 0) {
    return make(false, 'unknown', `${words} — unknown: ${tally.unknown} of ${connections} connections were not seen whole (capture began mid-connection, or bytes were cut or missing)`);
  }
  const { ending, group } = tally.all.common();
  if (requests <= 1 && connections === 1) {
    const what = requests === 0 ? 'no request was seen' : 'a single request, nothing to reuse the connection for';
    return make(false, 'single-request', `${words} — ${what}; ${endingText(ending, group).replace('each connection', 'the connection')}`);
  }
  let text = endingText(ending, group);
  if (group.size < connections) text = text.replace('each connection', `${group.size} of ${connections} connections`);
  return make(false, ending, `${words} — no reuse: ${text}`);
}

function tlsVerdict(tally: ServerTally): Verdict {
  const { server, closers } = tally;
  const connections = tally.tls;
  const sessions = tally.resumed === 0 ? 'every handshake was a full one' : `${tally.resumed} of ${connections} resumed a session`;
  const closed = (['server', 'client'] as const)
    .filter((side) => closers[side] > 0)
    .map((side) => `the ${side} closed ${closers[side] === connections ? (connections === 1 ? 'it' : 'each connection') : `${closers[side]} of ${connections}`}`);
  const ending = closed.length > 0 ? `; ${closed.join(', ')}` : '';
  return {
    server,
    connections,
    requests: 0,
    reused: false,
    reason: 'encrypted',
    text: `${server}  ${plural(connections, 'connection')}, ${plural(tally.handshakes, 'TLS handshake')} — requests encrypted, reuse not visible; ${sessions}${ending}`,
  };
}

/**
 * Verdicts and request totals summed up connection by connection: nothing per connection is
 * kept, so streaming a capture of millions of connections costs a few numbers per server.
 */
export class VerdictTally {
  private readonly servers = new Map<string, ServerTally>();
  private requests = 0;
  private carrying = 0;

  /** One connection; connections that carried neither HTTP nor TLS count for nothing. */
  add(
    server: string,
    closedBy: Side | null,
    closedWith: 'fin' | 'rst' | null,
    requests: RequestsEvidence | null,
    tls: TlsEvidence | null,
  ): void {
    this.addRequests(requests);
    if (requests === null && tls === null) return;
    let tally = this.servers.get(server);
    if (tally === undefined) this.servers.set(server, (tally = new ServerTally(server)));
    if (requests !== null) {
      const count = requests.count;
      tally.http++;
      tally.requests += count;
      if (count > tally.most) tally.most = count;
      if (count >= 2) tally.reused++;
      else tally.singles.add(requests, closedBy, closedWith);
      if (!requests.known) tally.unknown++;
      tally.all.add(requests, closedBy, closedWith);
    } else {
      tally.tls++;
      tally.handshakes += tls!.handshakes;
      if (tls!.resumed) tally.resumed++;
      if (closedBy !== null) tally.closers[closedBy]++;
    }
  }

  /** Request totals only (the summary's `requests` and `reuseRatio`). */
  addRequests(requests: Pick<RequestsEvidence, 'count'> | null): void {
    const count = requests?.count ?? 0;
    this.requests += count;
    if (count > 0) this.carrying++;
  }

  /** Connections that carried at least one request. */
  get carryingRequests(): number {
    return this.carrying;
  }

  totals(): { requests: number; reuseRatio: number | null } {
    const { requests, carrying } = this;
    return { requests, reuseRatio: carrying === 0 ? null : Math.round((requests / carrying) * 1000) / 1000 };
  }

  /** One verdict per server endpoint that carried HTTP (else TLS), in order of first connection. */
  verdicts(): Verdict[] {
    return [...this.servers.values()].map((tally) => (tally.http > 0 ? httpVerdict(tally) : tlsVerdict(tally)));
  }
}

/** One verdict per server endpoint that carried HTTP (else TLS), in order of first connection. */
export function verdictsOf(connections: readonly VerdictEvidence[]): Verdict[] {
  const tally = new VerdictTally();
  for (const c of connections) tally.add(c.server, c.closedBy, c.closedWith, c.requests, c.tls);
  return tally.verdicts();
}
