/** `--expect` on the real loopback fixtures: exit codes, failure lines, and --json staying clean. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared-captures.js';

const serverCloses = join(repoRoot, 'fixtures', 'server-closes.pcap');
const keepalive = join(repoRoot, 'fixtures', 'keepalive-reuse.pcap');

describe('synfin CAPTURE --expect', () => {
  it('exit 0 when every expectation holds, and says so', async () => {
    const result = await runCli([serverCloses, '--port', '8087', '--expect', 'handshakes=3', '--expect', 'closed-by.server=3', '-e', 'open=0']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 connections · 3 handshakes');
    expect(result.stderr).toBe('synfin: all 3 expectations hold\n');
  });

  it('exit 1 with one line per failed expectation: expected, actual, connections', async () => {
    const result = await runCli([serverCloses, '--port', '8087', '-e', 'handshakes=1', '-e', 'closed-by.server>=3', '-e', 'closed-by.client>=1']);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^synfin: expected handshakes=1, actual 3; connections handshakes: #1 127\.0\.0\.1:54698 → 127\.0\.0\.1:8087 \(handshake complete, closed by server FIN\); #2 .*; #3 .*$/);
    expect(lines[1]).toMatch(/^synfin: expected closed-by\.client>=1, actual 0; connections not closed-by\.client: #1 .*closed by server FIN\); #2 .*; #3 .*$/);
  });

  it('works with --json: stdout stays the report, verdict on stderr and in the exit code', async () => {
    const result = await runCli([keepalive, '--json', '-e', 'handshakes=1', '-e', 'reused=1', '-e', 'requests=3', '-e', 'connections=2']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).summary.handshakes).toBe(1);
    expect(result.stderr).toBe(
      'synfin: expected connections=2, actual 1; connections seen: #1 127.0.0.1:54728 → 127.0.0.1:8087 (handshake complete, closed by client FIN)\n',
    );
  });

  it('-q keeps the failure lines but drops the success line', async () => {
    const ok = await runCli([keepalive, '-q', '-e', 'handshakes=1']);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    const failed = await runCli([keepalive, '-q', '-e', 'handshakes=2']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('expected handshakes=2, actual 1');
  });

  it('an unknown key is a usage error (exit 2) naming the keys', async () => {
    const result = await runCli([serverCloses, '--expect', 'handshake=1']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("unknown key 'handshake' in 'handshake=1'; keys: connections, handshakes,");
  });

  it('a malformed expectation is a usage error (exit 2)', async () => {
    const result = await runCli([serverCloses, '--expect', 'handshakes>1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'handshakes>1' is not KEY=N, KEY<=N or KEY>=N");
  });

  it('--help lists every key', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const key of ['handshakes', 'closed-by.server', 'closed-with.rst', 'syn-retransmits', 'requests', 'reuse']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${key.replace('.', '\\.')} +\\S`, 'm'));
    }
  });
});
