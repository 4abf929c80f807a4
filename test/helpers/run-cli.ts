/** Drive the CLI in-process (same code as the binary, minus process.exit) and collect its output. */
import { createProgram } from '../../src/cli/program.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: readonly string[], options: { stderrIsTty?: boolean; stdoutIsTty?: boolean; env?: Record<string, string>; columns?: number } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const { run } = createProgram({
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
    stderrIsTty: options.stderrIsTty ?? false,
    stdoutIsTty: options.stdoutIsTty ?? false,
    env: options.env ?? {},
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
  });
  const code = await run(args);
  return { code, stdout, stderr };
}
