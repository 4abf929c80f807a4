import { keepYoungGenerationSmall } from './heap.js';
import { bytesWriter, ExitCode } from './io.js';
import { createProgram } from './program.js';

keepYoungGenerationSmall();

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

/** Not top-level await: the CLI is bundled as CommonJS (see src/cli/launch.ts). */
async function main(): Promise<void> {
  try {
    process.exitCode = await createProgram(io).run(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`synfin: internal error: ${message}\n`);
    if (process.env.SYNFIN_DEBUG) process.stderr.write(`${(error as Error).stack ?? ''}\n`);
    process.exitCode = ExitCode.Internal;
  }
  // Everything is written: exit now rather than let Node free its heap mapping by mapping
  // (~10 ms of a 0.4 s run); the kernel drops the whole process at once. Output still queued
  // (a full pipe) keeps the process alive until it is written, as without this line.
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}

void main();
