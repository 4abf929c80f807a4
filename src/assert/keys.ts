import type { ConnectionReport, Report } from '../report/model.js';
import { requestsOf, summaryRequests, summaryReuseRatio } from './reuse.js';

/**
 * What `--expect KEY=N` can compare, one row per key, all read from the Report. A count key
 * has a predicate: its value is how many connections satisfy it, and a failure names the
 * connections that made the difference. A sum key adds a number over connections. A report
 * key reads a summary field HTTP insight adds, and falls back to the client's data bursts
 * when the report does not carry it (the failure line says which was used). Every key can be
 * judged one connection at a time, so a capture of millions of connections needs no report
 * of each in memory.
 */
interface KeyBase {
  name: string;
  description: string;
  /** Failure lines describe connections by their requests too. */
  aboutRequests?: boolean;
}

export type ExpectationKey =
  | (KeyBase & { kind: 'count'; counts(connection: ConnectionReport): boolean })
  | (KeyBase & { kind: 'sum'; amount(connection: ConnectionReport): number })
  | (KeyBase & {
      kind: 'report';
      /**
       * null: no value (e.g. a ratio over no connections). `source` says where it came from.
       * `carried`: the requests (HTTP, else client data bursts) of the connections that carried
       * any, and how many connections those were, for reports without HTTP insight.
       */
      value(report: Pick<Report, 'summary'>, carried: CarriedRequests): { value: number | null; source: string };
      involves(connection: ConnectionReport): boolean;
    });

/** Requests over the connections that carried any (requestsOf), and how many those were. */
export interface CarriedRequests {
  requests: number;
  connections: number;
}

function requestsValue(report: Pick<Report, 'summary'>, carried: CarriedRequests): { value: number | null; source: string } {
  const requests = summaryRequests(report);
  if (requests !== undefined) return { value: requests, source: 'summary.requests' };
  return { value: carried.requests, source: 'client data bursts' };
}

function reuseValue(report: Pick<Report, 'summary'>, carried: CarriedRequests): { value: number | null; source: string } {
  const ratio = summaryReuseRatio(report);
  if (ratio !== undefined) return { value: ratio, source: 'summary.reuseRatio' };
  if (carried.connections === 0) return { value: null, source: 'client data bursts' };
  return { value: carried.requests / carried.connections, source: 'client data bursts' };
}

export const expectationKeys: readonly ExpectationKey[] = [
  { name: 'connections', description: 'connections (after --port/--host)', kind: 'count', counts: () => true },
  { name: 'handshakes', description: 'complete handshakes (SYN, SYN-ACK, ACK)', kind: 'count', counts: (c) => c.handshake === 'complete' },
  { name: 'rejected', description: 'connections whose SYN was answered by RST', kind: 'count', counts: (c) => c.handshake === 'rejected' },
  { name: 'unanswered', description: 'connections whose SYN got no answer', kind: 'count', counts: (c) => c.handshake === 'syn' },
  { name: 'open', description: 'connections with neither FIN nor RST', kind: 'count', counts: (c) => c.closedBy === null },
  { name: 'closed-by.client', description: 'connections the client closed first (FIN or RST)', kind: 'count', counts: (c) => c.closedBy === 'client' },
  { name: 'closed-by.server', description: 'connections the server closed first (FIN or RST)', kind: 'count', counts: (c) => c.closedBy === 'server' },
  { name: 'closed-with.fin', description: 'connections whose first close was a FIN', kind: 'count', counts: (c) => c.closedWith === 'fin' },
  { name: 'closed-with.rst', description: 'connections whose first close was a RST', kind: 'count', counts: (c) => c.closedWith === 'rst' },
  { name: 'first-fin.client', description: 'connections where the client sent the first FIN', kind: 'count', counts: (c) => c.firstFin?.side === 'client' },
  { name: 'first-fin.server', description: 'connections where the server sent the first FIN', kind: 'count', counts: (c) => c.firstFin?.side === 'server' },
  { name: 'simultaneous-close', description: 'connections where both FINs crossed', kind: 'count', counts: (c) => c.simultaneousClose },
  { name: 'reused', description: 'connections that carried more than one request', kind: 'count', counts: (c) => requestsOf(c).count > 1, aboutRequests: true },
  { name: 'syn-retransmits', description: 'retransmitted SYNs, over all connections', kind: 'sum', amount: (c) => c.synRetransmits },
  { name: 'packets', description: 'TCP segments in connections', kind: 'sum', amount: (c) => c.packets.client + c.packets.server },
  {
    name: 'requests',
    description: 'requests (HTTP when known, else client data bursts)',
    kind: 'report',
    value: requestsValue,
    involves: (c) => requestsOf(c).count > 0,
    aboutRequests: true,
  },
  {
    name: 'reuse',
    description: 'requests per connection that carried any (e.g. reuse>=2)',
    kind: 'report',
    value: reuseValue,
    involves: (c) => requestsOf(c).count > 0,
    aboutRequests: true,
  },
];

export function findKey(name: string): ExpectationKey | undefined {
  return expectationKeys.find((key) => key.name === name);
}
