/**
 * The CLI as one file (dist/synfin.js), after tsc: Node resolves and compiles ~90 ES modules
 * at every start otherwise, which cost ~70 ms of CPU and ~6 MB of RSS per run (see
 * docs/benchmarks.md). The library (dist/index.js) stays as tsc wrote it.
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

await build({
  entryPoints: [join(root, 'dist', 'cli', 'main.js')],
  outfile: join(root, 'dist', 'synfin.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // commander is CommonJS and require()s Node's own modules.
  banner: { js: "import { createRequire as synfinRequire } from 'node:module';\nconst require = synfinRequire(import.meta.url);" },
  legalComments: 'none',
  // Less to parse at every start (~10 ms of ~0.2 s on a small capture); names stay as written,
  // so a stack trace (SYNFIN_DEBUG=1) still says which function.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
