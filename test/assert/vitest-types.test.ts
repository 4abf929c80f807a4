/** 'synfin/vitest' augments vitest's Assertion: the usage file compiles, and misuse is a type error. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../helpers/shared-captures.js';

it('the matchers are typed on expect(...) through the package exports', () => {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--types', 'node', join(repoRoot, 'test', 'assert', 'types', 'usage.ts')];
  let output = '';
  try {
    output = execFileSync(process.execPath, [tsc, ...args], { cwd: repoRoot, encoding: 'utf8' });
  } catch (error) {
    output = (error as { stdout: string }).stdout;
  }
  expect(output).toBe('');
}, 60_000);
