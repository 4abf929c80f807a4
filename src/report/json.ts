import type { Report } from './model.js';

/** The `--json` output: the Report as it is, two-space indented, one trailing newline. */
export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
