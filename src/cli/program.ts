import { Command, CommanderError, Option } from 'commander';
import { analyzeTracked, type AnalyzeOptions, type TrackedAnalysis } from '../analyze.js';
import { CaptureFormatError } from '../errors.js';
import { buildReport } from '../report/build.js';
import { renderJson } from '../report/json.js';
import type { ConnectionReport } from '../report/model.js';
import { negativeDurations, renderJsonChunks, summarizeTracked } from '../report/json-stream.js';
import { renderTable } from '../report/table.js';
import { renderTableChunks } from '../report/table-stream.js';
import { letYoungGenerationGrow } from './heap.js';
import { decodingTo, ExitCode, type ProgramIo } from './io.js';
import type { Expectation } from '../assert/expectation.js';
import { EXPECT_HELP, judge, judgeTally, parseExpectOption, streamedTally } from './expect.js';
import { captureNotes } from './messages.js';
import { addRunCommand } from './run.js';
import { parseHost, parsePort } from './options.js';
import { createProgress } from './progress.js';
import { addViewOptions, createViewRecorder, showViews, type ViewOptions } from './views.js';

const EXAMPLES = `
Examples:
  $ synfin p1.pcap --port 8087                 how many handshakes, who closed each connection
  $ synfin p1.pcap --port 8087 --json          the same as JSON (contract in the README)
  $ synfin a.pcap b.pcapng --host 127.0.0.1    several files are one time-ordered capture
  $ tcpdump -i lo -U -w - port 8087 | synfin - --port 8087
  $ synfin p1.pcap --port 8087 --expect handshakes=1 --expect open=0
  $ synfin run --port 8087 --expect handshakes=1 -- node client.js   (see synfin run --help)
  $ synfin p1.pcap --port 8087 --ladder 3       who sent what, connection #3 as a ladder diagram
  $ synfin p1.pcap --port 8087 --timeline       all connections on one time axis

Exit codes:
  0  analysed (a capture cut short still gives every whole record, with a warning)
  1  an --expect did not hold
  2  bad usage
  3  a capture is missing, unreadable or not a capture
  4  synfin run: no capture possible (no tcpdump/dumpcap, not permitted, no such interface)
`;

interface CliOptions extends ViewOptions {
  port?: number[];
  host?: string[];
  json?: boolean;
  vlanAware?: boolean;
  quiet?: boolean;
  expect?: Expectation[];
}

/** Builds the program; `run` parses argv (without node and script) and returns the exit code. */
export function createProgram(io: ProgramIo): { program: Command; run(argv: readonly string[]): Promise<number> } {
  let exitCode: number = ExitCode.Ok;
  const program = new Command('synfin');
  program
    .description('Count TCP handshakes and tell who closed each connection, from pcap/pcapng captures.')
    .argument('<captures...>', "capture files (pcap or pcapng, '-' for stdin); several are merged by time")
    .option('-p, --port <port>', 'only connections with this port on either side (repeatable)', parsePort)
    .option('--host <address>', 'only connections with this address on either side (repeatable)', parseHost)
    .option('--json', 'print the report as JSON (see README for the contract)')
    .addOption(new Option('--vlan-aware', 'count the same 4-tuple on different VLANs as different connections'))
    .option('-q, --quiet', 'no warnings or progress on stderr')
    .option('-e, --expect <KEY=N>', 'fail (exit 1) unless this holds; also <= and >= (repeatable, keys below)', parseExpectOption)
    .addHelpText('after', EXPECT_HELP + EXAMPLES)
    .showHelpAfterError('(run synfin --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(text),
    })
    .action(async (captures: string[], options: CliOptions) => {
      exitCode = await analyseAndPrint(io, captures, options);
    });
  addViewOptions(program);
  // `synfin run ... -- CMD`: options after `run` are its own, so `synfin FILE --port N` is unchanged.
  program.enablePositionalOptions();
  addRunCommand(program, io, (code) => {
    exitCode = code;
  });

  async function run(argv: readonly string[]): Promise<number> {
    exitCode = ExitCode.Ok;
    try {
      await program.parseAsync([...argv], { from: 'user' });
      return exitCode;
    } catch (error) {
      if (error instanceof CommanderError) {
        if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
          return ExitCode.Ok;
        }
        return ExitCode.Usage;
      }
      throw error;
    }
  }

  return { program, run };
}

async function analyseAndPrint(io: ProgramIo, captures: string[], options: CliOptions): Promise<number> {
  const stdinUses = captures.filter((c) => c === '-').length;
  if (stdinUses > 1) {
    io.stderr("synfin: '-' (stdin) can be given only once\n");
    return ExitCode.Usage;
  }
  const progress = options.quiet ? undefined : createProgress(io);
  const recorder = createViewRecorder(options);
  const analyzeOptions: AnalyzeOptions = {
    ...(recorder ? { observers: [recorder] } : {}),
    ports: options.port ?? [],
    hosts: options.host ?? [],
    vlanAware: options.vlanAware ?? false,
    ...(progress ? { onProgress: progress.update } : {}),
  };
  let analysis: TrackedAnalysis;
  try {
    analysis = await analyzeTracked(captures, analyzeOptions);
  } catch (error) {
    progress?.done();
    if (error instanceof CaptureFormatError) {
      io.stderr(`synfin: ${error.message}\n`);
      return ExitCode.BadCapture;
    }
    throw error;
  }
  progress?.done();
  const noted = {
    captures: analysis.captures,
    filter: analysis.filter,
    connections: negativeDurations(analysis),
    connectionCount: analysis.connectionCount,
  };
  if (!options.quiet) for (const note of captureNotes(noted)) io.stderr(`synfin: ${note}\n`);
  const expectations = options.expect ?? [];
  if (recorder === undefined) {
    // In chunks: the same text as renderJson / renderTable, and the same judgement as judge(),
    // without every connection's report in memory at once.
    const write = io.stdoutBytes?.bind(io) ?? decodingTo(io.stdout.bind(io));
    const summarized = summarizeTracked(analysis);
    // --expect is tallied from the reports the output is written from: one walk for both.
    const tally = streamedTally(expectations);
    const each = tally && ((connection: ConnectionReport) => tally.add(connection));
    const chunks = options.json ? renderJsonChunks(analysis, summarized, each) : renderTableChunks(analysis, summarized, each);
    for (let step = chunks.next(); step.done !== true; ) {
      const written = write(step.value);
      step = chunks.next(written === true ? true : await written);
    }
    return judgeTally(io, tally, summarized.summary, options.quiet ?? false);
  }
  // Every connection's report at once: let the young generation grow (see heap.ts).
  letYoungGenerationGrow();
  const report = buildReport(analysis.captures, analysis.connections, analysis.filter, analysis.insight);
  // Pictures (and --html) when asked for; an --expect is judged after them as after the table.
  const shown = recorder ? await showViews(io, report, recorder.finish(), options, captures) : undefined;
  if (shown !== undefined && shown !== ExitCode.Ok) return shown;
  if (shown === undefined) io.stdout(options.json ? renderJson(report) : renderTable(report));
  return judge(io, report, expectations, options.quiet ?? false);
}
