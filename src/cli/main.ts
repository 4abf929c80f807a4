#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { bytesWriter, ExitCode } from './io.js';
import { createProgram } from './program.js';

// V8 doubles its young generation each time enough objects survive a scavenge, up to 2 x 16 MB;
// a long pass lets short-lived survivors add up to that, which was a sixth of the peak RSS on
// 100k connections and bought no speed (docs/benchmarks.md). The growth factor is read each
// time the space would grow, so setting it here works, unlike --max-semi-space-size, which only
// counts at start-up and cannot go on the `#!/usr/bin/env node` line.
setFlagsFromString('--semi-space-growth-factor=1');

/** The only place that touches process streams and exits. */
const io = {
  stdout: (text: string) => process.stdout.write(text),
  stdoutBytes: bytesWriter(process.stdout),
  stderr: (text: string) => process.stderr.write(text),
  stdoutIsTty: process.stdout.isTTY === true,
  stderrIsTty: process.stderr.isTTY === true,
  env: process.env,
  ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
};

// A closed pipe (`synfin ... | head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(ExitCode.Ok);
  throw error;
});

try {
  const code = await createProgram(io).run(process.argv.slice(2));
  process.exitCode = code;
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`synfin: internal error: ${message}\n`);
  if (process.env.SYNFIN_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
  process.exitCode = ExitCode.Internal;
}
