import { spawn, type ChildProcess } from 'node:child_process';
import { constants as os } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { analyze } from '../analyze.js';
import { letYoungGenerationGrow } from './heap.js';
import type { Expectation } from '../assert/expectation.js';
import { CaptureFormatError } from '../errors.js';
import { CaptureToolError } from '../live/errors.js';
import type { CaptureSession } from '../live/session.js';
import { captureFilter } from '../live/tool.js';
import { renderJson } from '../report/json.js';
import { renderTable } from '../report/table.js';
import { EXPECT_HELP, judge, parseExpectOption } from './expect.js';
import { ExitCode, type ProgramIo } from './io.js';
import { captureNotes } from './messages.js';
import { parseHost, parsePort } from './options.js';

interface RunOptions {
  port?: number[];
  host?: string[];
  interface?: string;
  keep?: string;
  tool?: 'tcpdump' | 'dumpcap';
  settle?: number;
  json?: boolean;
  quiet?: boolean;
  expect?: Expectation[];
}

const RUN_HELP = `
Captures with tcpdump (or dumpcap) while the command runs, then prints the report of that
capture. Needs root or CAP_NET_RAW. A Ctrl-C goes to the command; the report follows.

Exit code: the command's when it fails (128+N when a signal N ended it, 127 when it cannot be
started), else 1 when an --expect did not hold, else 0; 2 bad usage; 4 no capture possible
(no tcpdump/dumpcap, not permitted, no such interface).

Examples:
  $ synfin run --port 8087 -- go run main.go
  $ synfin run --port 8087 --expect handshakes=1 --keep run.pcap -- node client.js
`;

function parseMilliseconds(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a number of milliseconds`);
  return Number(value);
}

/** `synfin run [options] -- COMMAND...`, next to the default `synfin CAPTURE...`. */
export function addRunCommand(program: Command, io: ProgramIo, setExitCode: (code: number) => void): Command {
  return program
    .command('run')
    .description('capture while a command runs, then report on that capture (and check --expect)')
    .argument('<command...>', 'the command and its arguments (after --)')
    .option('-p, --port <port>', 'capture and report connections with this port (repeatable)', parsePort)
    .option('--host <address>', 'capture and report connections with this address (repeatable)', parseHost)
    .option('-i, --interface <name>', 'interface to capture on (default: loopback)')
    .option('--keep <file>', 'save the capture (pcap) to this file')
    .addOption(new Option('--tool <name>', 'capture program to prefer').choices(['tcpdump', 'dumpcap']))
    .addOption(new Option('--settle <ms>', 'after the command, wait for this much quiet before stopping').argParser(parseMilliseconds).default(100))
    .option('--json', 'print the report as JSON')
    .option('-e, --expect <KEY=N>', 'fail (exit 1) unless this holds; also <= and >= (repeatable)', parseExpectOption)
    .option('-q, --quiet', 'no notes on stderr')
    .passThroughOptions()
    .addHelpText('after', EXPECT_HELP + RUN_HELP)
    .action(async (command: string[], options: RunOptions) => {
      setExitCode(await runAndReport(io, command, options));
    });
}

interface CommandEnd {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * While synfin run is at work, SIGINT/SIGTERM/SIGHUP do not end synfin: they go to the command
 * (when it runs), whose end then stops the capture as usual, so the report is still printed
 * and the capture process is always stopped by synfin itself.
 */
class SignalForwarding {
  private child: ChildProcess | undefined;
  private readonly forward = (signal: NodeJS.Signals) => {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
  };

  constructor() {
    for (const signal of SIGNALS) process.on(signal, this.forward);
  }

  /** Runs the command with inherited stdio. */
  run(io: ProgramIo, command: string[]): Promise<CommandEnd> {
    return new Promise((resolve) => {
      const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...io.env } });
      this.child = child;
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  dispose(): void {
    for (const signal of SIGNALS) process.off(signal, this.forward);
  }
}

function commandExitCode(io: ProgramIo, command: string[], end: CommandEnd, quiet: boolean): number {
  const name = command[0]!;
  if (end.error) {
    io.stderr(`synfin: cannot run '${name}': ${end.error.code === 'ENOENT' ? 'command not found' : end.error.message}\n`);
    return ExitCode.CommandNotFound;
  }
  if (end.signal) {
    if (!quiet) io.stderr(`synfin: '${name}' was ended by ${end.signal}\n`);
    return 128 + (os.signals[end.signal] ?? 0);
  }
  if (end.code !== 0 && !quiet) io.stderr(`synfin: '${name}' exited with code ${end.code}\n`);
  return end.code ?? ExitCode.Ok;
}

async function runAndReport(io: ProgramIo, command: string[], options: RunOptions): Promise<number> {
  const signals = new SignalForwarding();
  try {
    return await captureAndReport(io, command, options, signals);
  } finally {
    signals.dispose();
  }
}

async function captureAndReport(io: ProgramIo, command: string[], options: RunOptions, signals: SignalForwarding): Promise<number> {
  const quiet = options.quiet ?? false;
  const ports = options.port ?? [];
  const hosts = options.host ?? [];
  let session: CaptureSession;
  try {
    // Loaded here, not at every start-up: its probe loads node:crypto, which nothing else needs.
    const { CaptureSession } = await import('../live/session.js');
    session = await CaptureSession.start({
      ports,
      hosts,
      ...(options.interface !== undefined ? { interface: options.interface } : {}),
      ...(options.keep !== undefined ? { keep: options.keep } : {}),
      ...(options.tool !== undefined ? { tool: options.tool } : {}),
      ...(options.settle !== undefined ? { settleMs: options.settle } : {}),
      searchPath: io.env.PATH ?? '',
      handleSignals: false,
    });
  } catch (error) {
    if (error instanceof CaptureToolError) {
      io.stderr(`synfin: ${error.message}\n`);
      return ExitCode.CaptureUnavailable;
    }
    throw error;
  }
  try {
    if (!quiet) {
      io.stderr(`synfin: capturing on ${session.interfaceName} with ${session.tool.name} (${captureFilter(ports, hosts)})\n`);
    }
    const end = await signals.run(io, command);
    try {
      await session.stop();
    } catch (error) {
      if (error instanceof CaptureToolError) {
        io.stderr(`synfin: ${error.message}\n`);
        return ExitCode.CaptureUnavailable;
      }
      throw error;
    }
    const commandCode = commandExitCode(io, command, end, quiet);
    let report;
    try {
      // Every connection's report is built at once (see heap.ts).
      letYoungGenerationGrow();
      report = await analyze(session.file, { ports, hosts });
      if (session.dropWarning) report.captures[0]!.warnings.push(session.dropWarning);
    } catch (error) {
      if (error instanceof CaptureFormatError) {
        io.stderr(`synfin: ${error.message}\n`);
        return ExitCode.BadCapture;
      }
      throw error;
    }
    if (!quiet) {
      // The capture holds only matching TCP and synfin's own probe datagrams: "no TCP" means none matched.
      for (const note of captureNotes(report)) if (!/: no TCP in \d+ packets?$/.test(note)) io.stderr(`synfin: ${note}\n`);
      if (report.connections.length === 0) io.stderr(`synfin: note: no TCP connection matched ${captureFilter(ports, hosts)} while '${command[0]}' ran\n`);
      if (options.keep !== undefined) {
        const format = /\.pcapng$/i.test(session.file) ? ' (classic pcap, whatever the name says)' : '';
        io.stderr(`synfin: capture saved to ${session.file}${format}\n`);
      }
    }
    io.stdout(options.json ? renderJson(report) : renderTable(report));
    const verdict = judge(io, report, options.expect ?? [], quiet);
    return commandCode !== ExitCode.Ok ? commandCode : verdict;
  } finally {
    // Stopped already on the normal path; this covers errors, and removes a temporary capture.
    await session.abort();
  }
}
