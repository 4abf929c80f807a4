/**
 * The `synfin` command (dist/synfin.cjs): runs the bundled CLI (dist/synfin-cli.cjs) from V8's
 * code cache for it (dist/synfin-cli.cjs.cache), so its ~250 KB of JavaScript is not parsed and
 * compiled again at every start: ~10 ms of the ~0.16 s a small capture takes (docs/benchmarks.md).
 * The build writes the cache from runs on bundled captures (scripts/bundle.mjs), so it holds
 * the functions a run compiles, not only the top level.
 *
 * The cache is a hint: V8 checks it against the source, its own version and its flags, and
 * compiles from source when it does not fit; a missing or stale cache costs only that time.
 * Node 22's module.enableCompileCache() does the same; Node 20 has only vm.Script.
 *
 * The file starts as a shell script that execs Node on itself with malloc settings and Node
 * options that must be made before Node starts (src/cli/start-line.ts; the build writes the lines).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { letYoungGenerationGrow } from './heap.js';
import { restoreUserEnvironment } from './start-line.js';

restoreUserEnvironment(process.env);

/** Set by the build: write the cache at exit, with what this run compiled. */
const WRITE_CACHE = process.env.SYNFIN_WRITE_CODE_CACHE === '1';

const cli = fileURLToPath(new URL('./synfin-cli.cjs', import.meta.url));
const cachePath = `${cli}.cache`;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cachePath);
  } catch {
    return undefined;
  }
}

// CommonJS's own wrapper: the bundle is a CommonJS module body.
const wrapped = `(function (exports, require, module, __filename, __dirname) {${readFileSync(cli, 'utf8')}\n})`;
const script = new Script(wrapped, { filename: cli, cachedData: readCache() });
if (WRITE_CACHE) {
  process.on('exit', () => {
    // V8 keeps its flags' hash in the cache and refuses it under other flags: back to the
    // defaults a fresh process starts with, which the CLI changed (src/cli/heap.ts).
    letYoungGenerationGrow();
    writeFileSync(cachePath, script.createCachedData());
  });
}
const module = { exports: {} };
const run = script.runInThisContext() as (...args: unknown[]) => void;
run.call(module.exports, module.exports, createRequire(cli), module, cli, dirname(cli));
