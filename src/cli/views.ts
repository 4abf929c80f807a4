/**
 * The picture options (--ladder, --timeline, --ascii, --no-color, --width, --html): how they
 * parse, the recorder they need during the pass, and what they print afterwards.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Report } from '../report/model.js';
import { summaryLine } from '../report/table.js';
import { renderHtml } from '../view/html.js';
import { renderLadders } from '../view/ladder.js';
import { DEFAULT_LADDER_LIMIT, ViewRecorder, type ViewData } from '../view/record.js';
import { MIN_WIDTH, viewStyle, wantsColor, wrapParts, type ViewStyle } from '../view/style.js';
import { renderTimeline } from '../view/timeline.js';
import { ExitCode, type ProgramIo } from './io.js';

export interface ViewOptions {
  ladder?: number[] | 'all';
  timeline?: boolean;
  ascii?: boolean;
  /** false with --no-color. */
  color?: boolean;
  width?: number;
  html?: string;
}

/** `3`, `1,4`, or `all`; repeatable. */
export function parseLadder(value: string, previous: number[] | 'all' | undefined): number[] | 'all' {
  if (value === 'all' || previous === 'all') return 'all';
  const ids: number[] = [...(previous ?? [])];
  for (const part of value.split(',')) {
    if (!/^\d+$/.test(part) || Number(part) < 1) {
      throw new InvalidArgumentError(`'${value}' is not a connection number (1, 2, ... as in the table) or 'all'.`);
    }
    ids.push(Number(part));
  }
  return ids;
}

export function parseWidth(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < MIN_WIDTH || Number(value) > 1000) {
    throw new InvalidArgumentError(`'${value}' is not a width in columns (${MIN_WIDTH}-1000).`);
  }
  return Number(value);
}

export function addViewOptions(program: Command): Command {
  return program
    .addOption(
      new Option('--ladder <n|all>', `draw a ladder diagram of connection n (comma list, or all: the first ${DEFAULT_LADDER_LIMIT})`)
        .argParser(parseLadder)
        .conflicts('json'),
    )
    .addOption(new Option('--timeline', 'draw every connection on one time axis').conflicts('json'))
    .option('--ascii', 'draw with plain ASCII instead of Unicode')
    .option('--no-color', 'no colour (also: NO_COLOR set, or stdout not a terminal)')
    .addOption(new Option('--width <columns>', 'width of the pictures (default: the terminal)').argParser(parseWidth))
    .option('--html <file>', 'also write one self-contained HTML page: table, timeline and ladders');
}

export function wantsViews(options: ViewOptions): boolean {
  return options.ladder !== undefined || options.timeline === true;
}

/** The observer to pass to analyze() when pictures were asked for. */
export function createViewRecorder(options: ViewOptions): ViewRecorder | undefined {
  if (!wantsViews(options) && options.html === undefined) return undefined;
  if (options.html !== undefined) {
    // The page has every ladder up to the limit, and any asked for beyond it.
    return new ViewRecorder({ ladders: options.ladder ?? [], firstLadders: DEFAULT_LADDER_LIMIT, timeline: true });
  }
  return new ViewRecorder({
    ...(options.ladder !== undefined ? { ladders: options.ladder } : {}),
    timeline: options.timeline === true,
  });
}

/**
 * After the pass: writes the --html page, then prints the terminal pictures. Returns the exit
 * code when it printed (or failed), undefined when the table or JSON should be printed as usual.
 */
export async function showViews(
  io: ProgramIo,
  report: Report,
  data: ViewData,
  options: ViewOptions,
  captures: readonly string[],
): Promise<number | undefined> {
  if (options.html !== undefined) {
    const title = captures.map((capture) => (capture === '-' ? 'stdin' : basename(capture))).join(', ');
    try {
      await writeFile(options.html, renderHtml(report, data, title));
    } catch (error) {
      io.stderr(`synfin: cannot write ${options.html}: ${(error as Error).message}\n`);
      return ExitCode.Usage;
    }
  }
  if (!wantsViews(options)) return undefined;
  const views = renderViews(report, data, options, styleFor(io, options));
  io.stdout(views.text);
  for (const note of views.notes) io.stderr(`synfin: ${note}\n`);
  return views.missing ? ExitCode.Usage : ExitCode.Ok;
}

export function styleFor(io: ProgramIo, options: ViewOptions): ViewStyle {
  return viewStyle({
    width: options.width ?? io.columns ?? 80,
    ascii: options.ascii === true,
    color: wantsColor(io.stdoutIsTty, io.env, options.color),
  });
}

/** The pictures asked for, then the summary line; notes for ladders that could not be drawn. */
export function renderViews(report: Report, data: ViewData, options: ViewOptions, style: ViewStyle): { text: string; notes: string[]; missing: boolean } {
  const parts: string[] = [];
  const notes: string[] = [];
  let missing = false;
  if (options.timeline) parts.push(renderTimeline(report, data.timeline, style));
  if (options.ladder !== undefined) {
    const known = new Set(report.connections.map((connection) => connection.id));
    if (options.ladder !== 'all') {
      for (const id of options.ladder) {
        if (known.has(id)) continue;
        missing = true;
        notes.push(`no connection #${id} to draw (there ${report.connections.length === 1 ? 'is' : 'are'} ${report.connections.length})`);
      }
    } else if (report.connections.length > data.ladders.length) {
      notes.push(`ladders drawn for the first ${data.ladders.length} of ${report.connections.length} connections (--ladder N for another)`);
    }
    const wanted = options.ladder === 'all' ? undefined : new Set(options.ladder);
    const drawn = wanted === undefined ? data.ladders : data.ladders.filter((ladder) => wanted.has(ladder.id));
    const ladders = renderLadders(report.connections, drawn, style);
    if (ladders !== '') parts.push(ladders);
  }
  // The table's summary line, broken between its clauses to fit the width.
  const clauses = summaryLine(report.summary, report.connections).split(' · ');
  const summary = wrapParts(clauses, style.unicode ? ' · ' : ' - ', style.width);
  parts.push(`${summary.join('\n')}\n`);
  return { text: parts.join('\n'), notes, missing };
}
