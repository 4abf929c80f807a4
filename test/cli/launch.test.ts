/**
 * The built command starts from V8's code cache (src/cli/launch.ts, scripts/bundle.mjs): the
 * cache the build wrote must be one a fresh Node process accepts, and a missing or foreign cache
 * must change nothing but the time a start takes.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared-captures.js';

const dist = join(repoRoot, 'dist');
const fixture = join(repoRoot, 'fixtures', 'keepalive-reuse.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'synfin-launch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function synfin(bin: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, SYNFIN_WRITE_CODE_CACHE: '' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** dist/synfin.cjs and the bundle it runs, copied to a directory of their own, with `cache` as the code cache (none if undefined). */
function copyWithCache(name: string, cache: Uint8Array | undefined): string {
  const home = join(dir, name);
  mkdirSync(home, { recursive: true });
  copyFileSync(join(dist, 'synfin.cjs'), join(home, 'synfin.cjs'));
  copyFileSync(join(dist, 'synfin-cli.cjs'), join(home, 'synfin-cli.cjs'));
  if (cache !== undefined) writeFileSync(join(home, 'synfin-cli.cjs.cache'), cache);
  return join(home, 'synfin.cjs');
}

describe('the synfin command', () => {
  it('has a code cache that a fresh Node process accepts', () => {
    // What src/cli/launch.ts does, in a process started with no flags, as the command is.
    const check = `
      import { readFileSync } from 'node:fs';
      import { Script } from 'node:vm';
      const cli = ${JSON.stringify(join(dist, 'synfin-cli.cjs'))};
      const wrapped = '(function (exports, require, module, __filename, __dirname) {' + readFileSync(cli, 'utf8') + '\\n})';
      const script = new Script(wrapped, { filename: cli, cachedData: readFileSync(cli + '.cache') });
      process.stdout.write(String(script.cachedDataRejected));
    `;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', check], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('false');
  });

  const expected = synfin(join(dist, 'synfin.cjs'), fixture, '--json');

  it.each([
    ['without a cache', undefined],
    ['with a cache that is not one', Buffer.from('not a code cache')],
    ['with the cache of other code', new Script('globalThis.other = 1;').createCachedData()],
  ])('writes the same output %s', (name, cache) => {
    expect(expected.status).toBe(0);
    expect(JSON.parse(expected.stdout).summary.connections).toBeGreaterThan(0);
    const bin = copyWithCache(name.replaceAll(' ', '-'), cache);
    const got = synfin(bin, fixture, '--json');
    expect(got).toEqual(expected);
  });

  it('reports a failure through the bundle as before (usage error, exit 2)', () => {
    const got = synfin(join(dist, 'synfin.cjs'), '--no-such-option');
    expect(got.status).toBe(2);
    expect(got.stderr).toMatch(/unknown option '--no-such-option'/);
    expect(got.stderr).not.toMatch(/\n\s+at /);
  });
});
