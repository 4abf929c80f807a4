/**
 * dist/synfin.cjs is a shell script that execs Node on itself with settings made before Node
 * starts (src/cli/start-line.ts), and a JavaScript module: both readings must hold.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_OPTIONS, OWN_TUNABLES, restoreUserTunables } from '../../src/cli/start-line.js';
import { repoRoot } from '../helpers/shared-captures.js';

const command = join(repoRoot, 'dist', 'synfin.cjs');
const fixture = join(repoRoot, 'fixtures', 'server-closes.pcap');
const dir = mkdtempSync(join(tmpdir(), 'synfin-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `node` that prints what it was started with, first on PATH. */
const fakeBin = join(dir, 'bin');
mkdirSync(fakeBin);
writeFileSync(join(fakeBin, 'node'), '#!/bin/sh\nprintf "%s\\n" "tunables=$GLIBC_TUNABLES" "$@"\n');
chmodSync(join(fakeBin, 'node'), 0o755);

function startedWith(env: Record<string, string>, ...args: string[]): string[] {
  const run = spawnSync(command, args, { encoding: 'utf8', env: { PATH: `${fakeBin}:/usr/bin:/bin`, ...env } });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.slice(0, -1).split('\n');
}

describe('the synfin command as a shell script', () => {
  it('execs node on itself with the malloc settings and Node options, arguments unchanged', () => {
    expect(startedWith({}, 'a b.pcap', '--json', '$HOME', '')).toEqual([
      `tunables=${OWN_TUNABLES}`,
      ...NODE_OPTIONS,
      command,
      'a b.pcap',
      '--json',
      '$HOME',
      '',
    ]);
  });

  it("puts the user's own GLIBC_TUNABLES after its settings, so theirs win", () => {
    const [tunables] = startedWith({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' }, fixture);
    expect(tunables).toBe(`tunables=${OWN_TUNABLES}:glibc.malloc.arena_max=4`);
  });

  it('runs the real CLI, through a symlink as npm installs it, with the same output as `node dist/synfin.cjs`', () => {
    const link = join(dir, 'synfin');
    symlinkSync(command, link);
    const direct = spawnSync(process.execPath, [command, fixture, '--json'], { encoding: 'utf8' });
    const viaShell = spawnSync(link, [fixture, '--json'], { encoding: 'utf8' });
    expect(direct.status).toBe(0);
    expect(JSON.parse(direct.stdout).summary.connections).toBe(3);
    expect({ status: viaShell.status, stdout: viaShell.stdout, stderr: viaShell.stderr }).toEqual({
      status: direct.status,
      stdout: direct.stdout,
      stderr: direct.stderr,
    });
  });
});

describe('restoreUserTunables', () => {
  it.each([
    ['only its own settings: none', OWN_TUNABLES, undefined],
    ["its own, then the user's: the user's", `${OWN_TUNABLES}:glibc.malloc.arena_max=4`, 'glibc.malloc.arena_max=4'],
    ["the user's alone: unchanged", 'glibc.malloc.arena_max=4', 'glibc.malloc.arena_max=4'],
    ['none: none', undefined, undefined],
  ])('%s', (_name, given, expected) => {
    const env: NodeJS.ProcessEnv = given === undefined ? {} : { GLIBC_TUNABLES: given };
    restoreUserTunables(env);
    expect(env.GLIBC_TUNABLES).toBe(expected);
    expect('GLIBC_TUNABLES' in env).toBe(expected !== undefined);
  });
});
