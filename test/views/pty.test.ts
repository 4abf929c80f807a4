/**
 * The real binary (dist/synfin.cjs) in a pseudo-terminal, through util-linux `script`: colour
 * appears there and only there — not when stdout is a pipe, nor with NO_COLOR or --no-color.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared-captures.js';

const main = join(repoRoot, 'dist', 'synfin.cjs');
const capture = join(repoRoot, 'fixtures', 'server-closes.pcap');
const args = [capture, '--port', '8087', '--ladder', '1', '--timeline', '--quiet', '--width', '80'];
const ESC = /\u001b\[/;

function haveScript(): boolean {
  const probe = spawnSync('script', ['-qec', 'true', '/dev/null'], { stdio: 'ignore' });
  return probe.status === 0;
}

const skipReason = !existsSync(main)
  ? 'dist/synfin.cjs is not built (npm test builds it first)'
  : !haveScript()
    ? "'script' (util-linux, Debian package bsdutils) is not available to make a pseudo-terminal"
    : undefined;

function quote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** Runs the CLI with stdout (and stderr) on a pseudo-terminal; returns what the terminal showed. */
function inTerminal(extraArgs: string[] = [], env: Record<string, string> = {}): string {
  const command = [process.execPath, main, ...args, ...extraArgs].map(quote).join(' ');
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  if (!('NO_COLOR' in env)) delete childEnv.NO_COLOR;
  delete childEnv.FORCE_COLOR;
  const output = execFileSync('script', ['-qec', command, '/dev/null'], { env: childEnv, input: '', encoding: 'utf8' });
  return output.replaceAll('\r\n', '\n');
}

function piped(extraArgs: string[] = []): string {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return execFileSync(process.execPath, [main, ...args, ...extraArgs], { env, encoding: 'utf8' });
}

describe.skipIf(skipReason !== undefined)(`colour in a real terminal${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('a terminal gets colour; the same picture without the codes is what a pipe gets', () => {
    const terminal = inTerminal();
    expect(terminal).toMatch(ESC);
    const pipe = piped();
    expect(pipe).not.toMatch(ESC);
    expect(pipe).toContain('closed by server (FIN)');
    expect(terminal.replace(/\u001b\[[0-9;]*m/g, '')).toBe(pipe);
  });

  it('NO_COLOR in the environment turns colour off in a terminal', () => {
    const terminal = inTerminal([], { NO_COLOR: '1' });
    expect(terminal).not.toMatch(ESC);
    expect(terminal).toContain('closed by server (FIN)');
  });

  it('--no-color turns colour off in a terminal', () => {
    const terminal = inTerminal(['--no-color']);
    expect(terminal).not.toMatch(ESC);
    expect(terminal).toContain('closed by server (FIN)');
  });
});
