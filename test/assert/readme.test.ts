/** The README's library example runs (against the built package) and prints what the README says. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { expectationKeys } from '../../src/assert/keys.js';
import { repoRoot } from '../helpers/shared-captures.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

it('the check.mjs example prints the output shown under it', () => {
  const match = /```js\n(\/\/ check\.mjs[^\n]*\n[\s\S]*?)```\n\nprints\n\n```\n([\s\S]*?)```/.exec(readme);
  expect(match).not.toBeNull();
  const [, script, printed] = match!;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script!], { cwd: repoRoot, encoding: 'utf8' });
  expect(output).toBe(printed);
});

it('every --expect key is documented', () => {
  const section = readme.slice(readme.indexOf('### `--expect KEY=N`'));
  for (const key of expectationKeys) expect(section).toContain(`\`${key.name}\``);
});
