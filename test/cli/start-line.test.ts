/**
 * dist/synfin.cjs is a shell script that execs Node on itself with settings made before Node
 * starts (src/cli/start-line.ts), and a JavaScript module: both readings must hold.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_OPTIONS, OWN_TUNABLES, restoreUserEnvironment, SAVED_EXTRA_CA_CERTS } from '../../src/cli/start-line.js';
import { repoRoot } from '../helpers/shared-captures.js';

const command = join(repoRoot, 'dist', 'synfin.cjs');
const fixture = join(repoRoot, 'fixtures', 'server-closes.pcap');
const dir = mkdtempSync(join(tmpdir(), 'synfin-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A `node` that prints what it was started with, first on PATH. */
const fakeBin = join(dir, 'bin');
mkdirSync(fakeBin);
writeFileSync(
  join(fakeBin, 'node'),
  [
    '#!/bin/sh',
    'printf "%s\\n" "tunables=$GLIBC_TUNABLES" \\',
    `  "certs=\${NODE_EXTRA_CA_CERTS-(unset)}" "saved=\${${SAVED_EXTRA_CA_CERTS}-(unset)}" "$@"`,
    '',
  ].join('\n'),
);
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
      'certs=(unset)',
      'saved=(unset)',
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

  it.each([
    ['a file', '/etc/ssl/certs/ca-certificates.crt'],
    ['empty', ''],
  ])('starts node without NODE_EXTRA_CA_CERTS (%s), kept under another name', (_name, value) => {
    const [, certs, saved] = startedWith({ NODE_EXTRA_CA_CERTS: value }, fixture);
    expect([certs, saved]).toEqual(['certs=(unset)', `saved=${value}`]);
  });

  it('saves nothing when NODE_EXTRA_CA_CERTS is unset, whatever the saved name held', () => {
    const [, certs, saved] = startedWith({ [SAVED_EXTRA_CA_CERTS]: '/stale.pem' }, fixture);
    expect([certs, saved]).toEqual(['certs=(unset)', 'saved=(unset)']);
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

describe('restoreUserEnvironment', () => {
  it.each([
    ['only its own settings: none', OWN_TUNABLES, undefined],
    ["its own, then the user's: the user's", `${OWN_TUNABLES}:glibc.malloc.arena_max=4`, 'glibc.malloc.arena_max=4'],
    ["the user's alone: unchanged", 'glibc.malloc.arena_max=4', 'glibc.malloc.arena_max=4'],
    ['none: none', undefined, undefined],
  ])('%s', (_name, given, expected) => {
    const env: NodeJS.ProcessEnv = given === undefined ? {} : { GLIBC_TUNABLES: given };
    restoreUserEnvironment(env);
    expect(env.GLIBC_TUNABLES).toBe(expected);
    expect('GLIBC_TUNABLES' in env).toBe(expected !== undefined);
  });

  it.each([
    ['saved: back under its own name', { [SAVED_EXTRA_CA_CERTS]: '/x.pem' }, { NODE_EXTRA_CA_CERTS: '/x.pem' }],
    ['saved empty: back, empty', { [SAVED_EXTRA_CA_CERTS]: '' }, { NODE_EXTRA_CA_CERTS: '' }],
    ['not saved: untouched', { NODE_EXTRA_CA_CERTS: '/y.pem' }, { NODE_EXTRA_CA_CERTS: '/y.pem' }],
    ['neither: neither', {}, {}],
  ])('NODE_EXTRA_CA_CERTS %s', (_name, given: NodeJS.ProcessEnv, expected) => {
    const env = { ...given };
    restoreUserEnvironment(env);
    expect(env).toEqual(expected);
  });
});
