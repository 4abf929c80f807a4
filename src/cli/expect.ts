import { InvalidArgumentError } from 'commander';
import {
  checkExpectations,
  ExpectationSyntaxError,
  ExpectationTally,
  failureLine,
  MAX_LISTED,
  parseExpectation,
  type Expectation,
  type ExpectationResult,
} from '../assert/expectation.js';
import { expectationKeys } from '../assert/keys.js';
import type { Report, Summary } from '../report/model.js';
import { ExitCode, type ProgramIo } from './io.js';

/** commander parser for the repeatable `--expect KEY=N`: a bad one is a usage error (exit 2). */
export function parseExpectOption(value: string, previous: Expectation[] = []): Expectation[] {
  try {
    return [...previous, parseExpectation(value)];
  } catch (error) {
    if (error instanceof ExpectationSyntaxError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export const EXPECT_HELP = `
Expectations (--expect KEY=N, KEY<=N or KEY>=N; repeatable; all must hold):
${expectationKeys.map((key) => `  ${key.name.padEnd(20)} ${key.description}`).join('\n')}
`;

/**
 * Checks the expectations against the report: one stderr line per failed one (expected,
 * actual, the connections involved), and the exit code (1 when any failed).
 */
export function judge(io: ProgramIo, report: Report, expectations: readonly Expectation[], quiet: boolean): number {
  if (expectations.length === 0) return ExitCode.Ok;
  return say(io, checkExpectations(report, expectations), quiet);
}

/**
 * The tally for judging streamed output, or undefined when there is nothing to judge: the
 * renderer hands it each connection's report as it writes it (renderJsonChunks' `each`), so the
 * connections are walked once for both, and only those a failure line names are kept.
 */
export function streamedTally(expectations: readonly Expectation[]): ExpectationTally | undefined {
  return expectations.length === 0 ? undefined : new ExpectationTally(expectations, MAX_LISTED);
}

/** judge() from a streamedTally() fed every connection's report, and the summary (summarizeTracked). */
export function judgeTally(io: ProgramIo, tally: ExpectationTally | undefined, summary: Summary, quiet: boolean): number {
  if (tally === undefined) return ExitCode.Ok;
  return say(io, tally.results({ summary }), quiet);
}

function say(io: ProgramIo, results: readonly ExpectationResult[], quiet: boolean): number {
  const failed = results.filter((result) => !result.holds);
  for (const result of failed) io.stderr(`synfin: ${failureLine(result)}\n`);
  if (failed.length > 0) return ExitCode.ExpectationFailed;
  if (!quiet) io.stderr(`synfin: ${results.length === 1 ? 'the expectation holds' : `all ${results.length} expectations hold`}\n`);
  return ExitCode.Ok;
}
