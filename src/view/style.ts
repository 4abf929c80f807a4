/**
 * How views draw: width, Unicode or plain ASCII glyphs, and colour (picocolors) only when asked.
 * Renderers take a ViewStyle and return strings; the CLI decides the style from the terminal.
 */
import picocolors from 'picocolors';

export interface Glyphs {
  lane: string;
  line: string;
  arrowRight: string;
  arrowLeft: string;
  /** Timeline marks. */
  idle: string;
  data: string;
  handshake: string;
  request: string;
  midStream: string;
  ellipsis: string;
  retransmission: string;
  times: string;
  arrowLabel: string;
}

const UNICODE: Glyphs = {
  lane: '│',
  line: '─',
  arrowRight: '▶',
  arrowLeft: '◀',
  idle: '─',
  data: '━',
  handshake: '▶',
  request: '●',
  midStream: '┄',
  ellipsis: '…',
  retransmission: '↻',
  times: '×',
  arrowLabel: '→',
};

const ASCII: Glyphs = {
  lane: '|',
  line: '-',
  arrowRight: '>',
  arrowLeft: '<',
  idle: '-',
  data: '=',
  handshake: '>',
  request: '*',
  midStream: '.',
  ellipsis: '...',
  retransmission: 'R',
  times: 'x',
  arrowLabel: '->',
};

type Paint = (text: string) => string;

export interface Palette {
  /** Headings and the closing verdict. */
  strong: Paint;
  dim: Paint;
  /** SYN / SYN-ACK (the handshake). */
  handshake: Paint;
  /** Request and response labels. */
  http: Paint;
  fin: Paint;
  rst: Paint;
  /** The closing packet (first FIN, or the RST that closed). */
  closer: Paint;
  retransmission: Paint;
}

export interface ViewStyle {
  /** Columns the output may use. */
  width: number;
  unicode: boolean;
  color: boolean;
  glyphs: Glyphs;
  paint: Palette;
}

export const MIN_WIDTH = 40;
export const DEFAULT_WIDTH = 80;

export function viewStyle(options: { width?: number; ascii?: boolean; color?: boolean } = {}): ViewStyle {
  const unicode = options.ascii !== true;
  const color = options.color === true;
  const c = picocolors.createColors(color);
  return {
    width: Math.max(MIN_WIDTH, Math.floor(options.width ?? DEFAULT_WIDTH)),
    unicode,
    color,
    glyphs: unicode ? UNICODE : ASCII,
    paint: {
      strong: c.bold,
      dim: c.dim,
      handshake: c.cyan,
      http: c.green,
      fin: c.yellow,
      rst: c.red,
      closer: (text) => c.bold(c.inverse(text)),
      retransmission: c.magenta,
    },
  };
}

/**
 * Colour for people only: stdout is a terminal, `--no-color` was not given, and NO_COLOR
 * (https://no-color.org: present and not empty) is not set.
 */
export function wantsColor(stdoutIsTty: boolean, env: Readonly<Record<string, string | undefined>>, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  const noColor = env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return stdoutIsTty;
}

/** Text cut to `width` characters, with the ellipsis when cut. */
export function fit(text: string, width: number, ellipsis: string): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width <= ellipsis.length) return text.slice(0, width);
  return text.slice(0, width - ellipsis.length) + ellipsis;
}

/** Relative time, in the unit chosen for the whole view so the column lines up. */
export interface TimeUnit {
  name: string;
  nanos: number;
  digits: number;
}

export function timeUnit(spanNanos: number, unicode: boolean): TimeUnit {
  if (spanNanos < 1e6) return { name: unicode ? 'µs' : 'us', nanos: 1e3, digits: 0 };
  if (spanNanos < 1e10) return { name: 'ms', nanos: 1e6, digits: 3 };
  return { name: 's', nanos: 1e9, digits: 3 };
}

export function formatTime(nanos: number, unit: TimeUnit): string {
  return (nanos / unit.nanos).toFixed(unit.digits);
}

/** Parts joined by `separator`, broken into lines of at most `width` where a part would overflow. */
export function wrapParts(parts: readonly string[], separator: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    if (line === '') line = part;
    else if (line.length + separator.length + part.length <= width) line += separator + part;
    else {
      lines.push(line);
      line = part;
    }
  }
  if (line !== '') lines.push(line);
  // A single part wider than the line breaks between its words.
  return lines.flatMap((text) => (text.length <= width || !text.includes(' ') ? [text] : wrapParts(text.split(' '), ' ', width)));
}
