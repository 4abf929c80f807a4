import { InvalidArgumentError } from 'commander';
import { checkExpectations, ExpectationSyntaxError, failureLine, parseExpectation, type Expectation } from '../assert/expectation.js';
import { expectationKeys } from '../assert/keys.js';
import type { Report } from '../report/model.js';
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
  const failed = checkExpectations(report, expectations).filter((result) => !result.holds);
  for (const result of failed) io.stderr(`synfin: ${failureLine(result)}\n`);
  if (failed.length > 0) return ExitCode.ExpectationFailed;
  if (!quiet) io.stderr(`synfin: ${expectations.length === 1 ? 'the expectation holds' : `all ${expectations.length} expectations hold`}\n`);
  return ExitCode.Ok;
}
