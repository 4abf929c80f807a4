import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import {
  checkExpectation,
  ExpectationSyntaxError,
  failureLine,
  parseExpectation,
} from '../../src/assert/expectation.js';
import { expectationKeys } from '../../src/assert/keys.js';
import type { Report } from '../../src/report/model.js';
import { conversation, pcapOf } from '../helpers/conversation.js';
import { withoutHttpInsight } from '../helpers/without-http.js';

const request = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';
const response = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n';

/** Three connections: #1 closed by the server, #2 by the client, #3 rejected (server RST). */
async function mixedReport(): Promise<Report> {
  const one = conversation({ client: '10.0.0.1:40001', server: '10.0.0.2:80' })
    .handshake().data('client', request).data('server', response).data('client', request).data('server', response)
    .fin('server').fin('client').ack('server');
  const two = conversation({ client: '10.0.0.1:40002', server: '10.0.0.2:80', offsetMicros: 100_000 })
    .handshake().data('client', request).data('server', response).fin('client').fin('server').ack('client');
  const three = conversation({ client: '10.0.0.1:40003', server: '10.0.0.2:80', offsetMicros: 200_000 })
    .syn().syn().send('server', 'RST,ACK');
  return analyze(pcapOf(one, two, three));
}

function check(report: Report, text: string) {
  return checkExpectation(report, parseExpectation(text));
}

describe('parsing --expect', () => {
  it('reads key, operator and number, ignoring spaces', () => {
    expect(parseExpectation('closed-by.server >= 3')).toMatchObject({ operator: '>=', expected: 3, key: { name: 'closed-by.server' } });
    expect(parseExpectation('reuse<=1.5')).toMatchObject({ operator: '<=', expected: 1.5 });
    expect(parseExpectation('open=0')).toMatchObject({ operator: '=', expected: 0 });
  });

  it('rejects unknown keys, naming the known ones', () => {
    expect(() => parseExpectation('handshake=1')).toThrow(ExpectationSyntaxError);
    expect(() => parseExpectation('handshake=1')).toThrow(/unknown key 'handshake' in 'handshake=1'; keys: connections, handshakes,/);
  });

  it.each(['handshakes', 'handshakes==1', 'handshakes<1', 'handshakes=-1', 'handshakes=x', '=1', 'handshakes=1=2'])(
    'rejects %j as not KEY=N',
    (text) => {
      expect(() => parseExpectation(text)).toThrow(/is not KEY=N, KEY<=N or KEY>=N/);
    },
  );

  it('every key has a unique name and a description', () => {
    const names = expectationKeys.map((k) => k.name);
    expect(new Set(names).size).toBe(names.length);
    for (const key of expectationKeys) expect(key.description.length).toBeGreaterThan(10);
  });
});

describe('checking expectations against a report', () => {
  it('count keys count connections', async () => {
    const report = await mixedReport();
    const actual = (text: string) => check(report, text).actual;
    expect(actual('connections=0')).toBe(3);
    expect(actual('handshakes=0')).toBe(2);
    expect(actual('rejected=0')).toBe(1);
    expect(actual('open=0')).toBe(0);
    expect(actual('closed-by.server=0')).toBe(2);
    expect(actual('closed-by.client=0')).toBe(1);
    expect(actual('closed-with.fin=0')).toBe(2);
    expect(actual('closed-with.rst=0')).toBe(1);
    expect(actual('first-fin.server=0')).toBe(1);
    expect(actual('first-fin.client=0')).toBe(1);
    expect(check(withoutHttpInsight(report), 'reused=0').actual).toBe(1);
    expect(actual('syn-retransmits=0')).toBe(1);
    expect(actual('packets=0')).toBe(10 + 8 + 3);
  });

  it('operators =, <= and >=', async () => {
    const report = await mixedReport();
    expect(check(report, 'handshakes=2').holds).toBe(true);
    expect(check(report, 'handshakes=3').holds).toBe(false);
    expect(check(report, 'handshakes<=2').holds).toBe(true);
    expect(check(report, 'handshakes<=1').holds).toBe(false);
    expect(check(report, 'handshakes>=2').holds).toBe(true);
    expect(check(report, 'handshakes>=3').holds).toBe(false);
  });

  it('too few: the failure names the connections that did not count', async () => {
    const report = await mixedReport();
    const result = check(report, 'closed-by.server=3');
    expect(result.involved.map((c) => c.id)).toEqual([2]);
    expect(failureLine(result)).toBe(
      'expected closed-by.server=3, actual 2; connections not closed-by.server: ' +
        '#2 10.0.0.1:40002 → 10.0.0.2:80 (handshake complete, closed by client FIN)',
    );
    expect(failureLine(check(report, 'closed-with.rst=0'))).toBe(
      'expected closed-with.rst=0, actual 1; connections closed-with.rst: ' +
        '#3 10.0.0.1:40003 → 10.0.0.2:80 (handshake rejected, closed by server RST, 1 SYN retransmits)',
    );
  });

  it('too many: the failure names the connections that counted', async () => {
    const report = await mixedReport();
    const result = check(report, 'handshakes<=1');
    expect(failureLine(result)).toBe(
      'expected handshakes<=1, actual 2; connections handshakes: ' +
        '#1 10.0.0.1:40001 → 10.0.0.2:80 (handshake complete, closed by server FIN); ' +
        '#2 10.0.0.1:40002 → 10.0.0.2:80 (handshake complete, closed by client FIN)',
    );
  });

  it('requests and reuse fall back to client data bursts and say so', async () => {
    const report = withoutHttpInsight(await mixedReport());
    expect(check(report, 'requests=3')).toMatchObject({ actual: 3, holds: true, source: 'client data bursts' });
    expect(check(report, 'reuse=1.5')).toMatchObject({ actual: 1.5, holds: true });
    expect(failureLine(check(report, 'reuse>=2'))).toBe(
      'expected reuse>=2, actual 1.5 (client data bursts); connections that carried requests: ' +
        '#1 10.0.0.1:40001 → 10.0.0.2:80 (handshake complete, closed by server FIN, 2 requests (data bursts)); ' +
        '#2 10.0.0.1:40002 → 10.0.0.2:80 (handshake complete, closed by client FIN, 1 request (data bursts))',
    );
  });

  it('requests and reuse read HTTP insight fields when the report has them', async () => {
    const base = withoutHttpInsight(await mixedReport());
    const report = {
      ...base,
      summary: { ...base.summary, requests: 5, reuseRatio: 2.5 },
      connections: base.connections.map((c, i) => ({ ...c, requests: i === 0 ? { count: 4 } : i === 1 ? { count: 1 } : null })),
    } as Report;
    expect(check(report, 'requests=5')).toMatchObject({ actual: 5, holds: true, source: 'summary.requests' });
    expect(check(report, 'reuse=2.5')).toMatchObject({ actual: 2.5, holds: true, source: 'summary.reuseRatio' });
    expect(check(report, 'reused=1').involved.map((c) => c.id)).toEqual([1]);
    expect(failureLine(check(report, 'requests<=2'))).toContain('#1 10.0.0.1:40001 → 10.0.0.2:80 (handshake complete, closed by server FIN, 4 requests (http))');
  });

  it('a ratio over no connections has no value, and fails', async () => {
    const report = withoutHttpInsight(await analyze(conversation({ client: '10.0.0.1:1', server: '10.0.0.2:2' }).syn().pcap()));
    const result = check(report, 'reuse>=0');
    expect(result).toMatchObject({ actual: null, holds: false });
    expect(failureLine(result)).toBe('expected reuse>=0, actual none (client data bursts); connections that carried requests: none');
  });
});
