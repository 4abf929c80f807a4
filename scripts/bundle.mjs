/**
 * The CLI as one file, after tsc: Node resolves and compiles ~90 ES modules at every start
 * otherwise, which cost ~70 ms of CPU and ~6 MB of RSS per run (see docs/benchmarks.md). The
 * library (dist/index.js) stays as tsc wrote it.
 *
 * dist/synfin-cli.cjs is the CLI, bundled as CommonJS so that dist/synfin.cjs (src/cli/launch.ts)
 * can compile it with vm.Script and V8's code cache; the cache is written here, by running the
 * CLI on bundled captures the way a user would.
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
const cli = join(dist, 'synfin-cli.cjs');
const cache = `${cli}.cache`;

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  // Less to parse at every start (~10 ms of ~0.2 s on a small capture); names stay as written,
  // so a stack trace (SYNFIN_DEBUG=1) still says which function.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};

await build({ ...common, entryPoints: [join(dist, 'cli', 'main.js')], outfile: cli, format: 'cjs' });
// The command: a shell script's two lines, then the launcher (src/cli/start-line.ts). CommonJS
// too: Node 20 loads an ES module entry through its asynchronous loader, which reads the file on
// libuv's thread pool, so every run started four threads and waited for them at exit (~14 ms of
// a 0.4 s run, docs/benchmarks.md). The launcher's import.meta.url becomes the file's own URL.
const { startLines } = await import(join(dist, 'cli', 'start-line.js'));
const command = join(dist, 'synfin.cjs');
await build({
  ...common,
  entryPoints: [join(dist, 'cli', 'launch.js')],
  outfile: command,
  format: 'cjs',
  define: { 'import.meta.url': 'launcherUrl' },
  banner: { js: `${startLines()}\nconst launcherUrl = require('node:url').pathToFileURL(__filename).href;` },
});
chmodSync(command, 0o755);

// A cache from an older bundle could match the new one's length, which is all V8 checks of
// the source: never keep one across builds.
rmSync(cache, { force: true });
// Each run starts from the cache the one before wrote and adds what it compiled: the JSON and
// the table writers, the pcap and pcapng readers, payload insight. Run as the command runs,
// through its start lines, so the cache is made under the options it will be read under.
const runs = [
  ['fixtures/server-closes.pcap', '--json'],
  ['fixtures/keepalive-reuse.pcapng'],
  ['fixtures/tls-resumed.pcap', '--expect', 'handshakes=3'],
];
for (const args of runs) {
  const run = spawnSync(command, args, {
    cwd: root,
    env: { ...process.env, SYNFIN_WRITE_CODE_CACHE: '1' },
    stdio: 'ignore',
  });
  if (run.status !== 0) {
    rmSync(cache, { force: true });
    console.warn(`bundle: no code cache (synfin ${args.join(' ')} exited ${run.status ?? run.signal})`);
    break;
  }
}
