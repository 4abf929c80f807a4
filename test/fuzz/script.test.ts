/**
 * `npm run fuzz` (scripts/fuzz.mjs, on the built dist/): a short run over one small capture, one
 * case replayed with its input saved, and bad usage. The long runs are for people, not for CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared-captures.js';

const script = join(repoRoot, 'scripts/fuzz.mjs');
const out = mkdtempSync(join(tmpdir(), 'synfin-fuzz-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function fuzz(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  if (!existsSync(join(repoRoot, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test does) first');
  const result = spawnSync(process.execPath, [script, '--out', out, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm run fuzz', () => {
  it('runs seeded cases for the time given and reports none found', () => {
    const result = fuzz('--minutes', '0.02', '--seed', '11', '--file', 'rst-abort');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^fuzz: seed 11, 0\.02 minute\(s\), 1 capture\(s\)\n/);
    expect(result.stdout).toMatch(/\nfuzz: \d+ cases \(.*\) in \d+ s, 0 finding\(s\); seed 11\n$/);
    expect(result.status).toBe(0);
  });

  it('replays one case and saves its input', () => {
    const result = fuzz('--seed', '11', '--replay', '5', '--file', 'rst-abort');
    expect(result.stdout).toMatch(/^rst-abort\.pcap case 5: [a-z-]+, .*\ninput saved as .*\nevery invariant holds\n$/);
    expect(result.status).toBe(0);
    expect(readdirSync(out)).toEqual([expect.stringMatching(/^[a-z-]+-rst-abort-seed11-case5\.pcap(\.gz)?$/)]);
  });

  it('says what is wrong with its arguments, exit 2', () => {
    const result = fuzz('--minutes', 'soon');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^fuzz: --minutes wants a number, not 'soon'\nusage: npm run fuzz -- /);
    expect(fuzz('--file', 'no-such-capture').stderr).toMatch(/^fuzz: no capture files/);
  });
});
