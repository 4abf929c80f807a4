/**
 * The payload-insight part of the report contract (`requests`, `tls`, `verdicts`): plain,
 * JSON-safe data derived from the first bytes of each message, never from whole payloads.
 */
import type { Side } from '../track/classify.js';

/** How a message said the connection will not persist (RFC 9112 §9.3). */
export type CloseSignal =
  /** A `Connection: close` header field. */
  | 'connection-close'
  /** An HTTP/1.0 message without `Connection: keep-alive`. */
  | 'http/1.0';

/** HTTP/1.x on one connection, from the client→server and server→client byte streams. */
export interface RequestsReport {
  /** Requests whose request line and header fields were seen whole. */
  count: number;
  /**
   * True when every request and response was read: false when the capture began mid-stream,
   * the snaplen cut a header, or a hole in the stream hit a place where a message could start.
   * `count` is then a lower bound.
   */
  known: boolean;
  /** First 5 request lines, e.g. `GET /index.html HTTP/1.1`. */
  lines: string[];
  /** Responses whose status line and header fields were seen (1xx interim responses included). */
  responses: number;
  /** First 5 response status codes. */
  statuses: number[];
  /** The side whose message first said the connection would close (a request wins a tie with its response). */
  closeRequestedBy: Side | null;
  /** How each side first said so, if it did. */
  closeSignals: { client: CloseSignal | null; server: CloseSignal | null };
  /** Version of the first request (`HTTP/1.1`), else of the first response. */
  httpVersion: string | null;
}

/** What the verdicts read of a RequestsReport: no lines, no statuses. */
export type RequestsEvidence = Pick<RequestsReport, 'count' | 'known' | 'closeSignals'>;

/** The cleartext TLS handshake on one connection. */
export interface TlsReport {
  /** ClientHello/ServerHello exchanges (a HelloRetryRequest does not start a new one). */
  handshakes: number;
  /** server_name from the ClientHello (RFC 6066). */
  sni: string | null;
  /** The server resumed a session: PSK accepted (TLS 1.3), session id echoed or no Certificate (TLS 1.2). */
  resumed: boolean;
}

/** Why connections to one server were, or were not, reused. */
export type VerdictReason =
  /** At least one connection carried more than one request. */
  | 'reused'
  /** One connection with one request (or none): nothing to reuse it for. */
  | 'single-request'
  /** The server announced the close: `Connection: close` or an HTTP/1.0 response without keep-alive. */
  | 'server-announced-close'
  /** The client asked for the close: `Connection: close` or an HTTP/1.0 request without keep-alive. */
  | 'client-requested-close'
  /** The server closed (FIN or RST) after its response without announcing it. */
  | 'server-closed'
  /** The client closed each connection itself before sending another request. */
  | 'client-closed'
  /** The connections were still open when the capture ended. */
  | 'still-open'
  /** TLS: the requests are encrypted; only handshakes and resumption are known. */
  | 'encrypted'
  /** Some request counts are not known (capture cut, mid-stream start): no verdict. */
  | 'unknown';

/** One line of answer per server endpoint, derived from the connections' evidence only. */
export interface Verdict {
  /** `ip:port` of the server. */
  server: string;
  /** Connections to it that carried HTTP or TLS. */
  connections: number;
  requests: number;
  reused: boolean;
  reason: VerdictReason;
  /** The answer in words, e.g. `127.0.0.1:8087  3 requests / 3 connections — no reuse: ...`. */
  text: string;
}
