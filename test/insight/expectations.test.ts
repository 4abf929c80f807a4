/** `--expect requests=N` / `reuse` read HTTP insight when it saw requests, else data bursts. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { checkExpectation, parseExpectation } from '../../src/assert/expectation.js';
import { conversation } from '../helpers/conversation.js';

describe('request expectations with insight in the report', () => {
  it('HTTP seen: summary.requests and summary.reuseRatio', async () => {
    const t = conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' }).handshake();
    for (const path of ['/a', '/b']) t.data('client', `GET ${path} HTTP/1.1\r\n\r\n`).data('server', 'HTTP/1.1 204 No Content\r\n\r\n');
    const report = await analyze(t.fin('client').pcap());
    expect(checkExpectation(report, parseExpectation('requests=2'))).toMatchObject({ holds: true, source: 'summary.requests' });
    expect(checkExpectation(report, parseExpectation('reuse=2'))).toMatchObject({ holds: true, source: 'summary.reuseRatio' });
  });

  it('no HTTP (summary.requests 0, reuseRatio null): the client data bursts count', async () => {
    const t = conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:6379' }).handshake();
    for (let i = 0; i < 3; i++) t.data('client', '*1\r\n$4\r\nPING\r\n').data('server', '+PONG\r\n');
    const report = await analyze(t.fin('client').pcap());
    expect(report.summary).toMatchObject({ requests: 0, reuseRatio: null });
    expect(checkExpectation(report, parseExpectation('requests=3'))).toMatchObject({ holds: true, source: 'client data bursts' });
    expect(checkExpectation(report, parseExpectation('reuse=3'))).toMatchObject({ holds: true, actual: 3 });
  });
});
