/**
 * `npm run bench`: generate synthetic captures, run synfin (the built CLI) and, when installed,
 * tcptrace and tshark on the same files in the same run, print wall time, rate and peak RSS,
 * and exit 1 when a target is missed.
 *
 *   npm run bench                  the 100k-connection comparison, pcapng, mixed sizes, linearity, memory
 *   npm run bench -- --quick       a small smoke run (targets not checked)
 *   npm run bench -- --big         also a ~2 GB capture with ~2,000 live connections (flat memory)
 *   npm run bench -- --no-check    measure only, exit 0
 *   npm run bench -- --runs 5      best of 5 runs (default 3; tshark always once)
 *
 * Captures go to bench/out/ (git-ignored) and are reused while their parameters do not change.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCapture } from './generate.mjs';
import { hasCommand, measureBest } from './measure.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, 'dist', 'synfin.cjs');

// ─── options ─────────────────────────────────────────────────────────────────────────────────

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
function value(name, fallback) {
  const at = argv.indexOf(name);
  return at === -1 ? fallback : argv[at + 1];
}
if (flag('--help')) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*?|^ \* ?/gm, '') + '\n');
  process.exit(0);
}
const quick = flag('--quick');
const big = flag('--big');
const check = !flag('--no-check') && !quick;
const runs = Number(value('--runs', quick ? '1' : '3'));
const outDir = value('--out', join(root, 'bench', 'out'));
const markdown = value('--markdown', undefined);

const sizes = quick
  ? { httpConnections: 10_000, mixedConnections: 400, memoryConnections: 100_000 }
  : { httpConnections: 100_000, mixedConnections: 2_600, memoryConnections: 1_000_000 };

/** Targets from the issue; ratios are "other tool / synfin". */
const TARGETS = {
  fasterThanTcptrace: 4,
  fasterThanTshark: 20,
  rssFractionOfTcptrace: 1 / 8,
  mixedBytesPerSecond: 1.5e9,
  bigPeakBytes: 100 * 1024 * 1024,
  /** Marginal per-packet cost at the larger sizes at most this many times the one at the smaller. */
  linearity: 1.5,
};

if (!existsSync(cli)) {
  process.stderr.write(`bench: ${cli} is missing; run npm run build first\n`);
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });

// ─── captures ────────────────────────────────────────────────────────────────────────────────

/** Generate (or reuse) a capture; parameters are in the file name and in a sidecar .json. */
function capture(name, options) {
  const path = join(outDir, name);
  const meta = `${path}.json`;
  const wanted = JSON.stringify({ ...options, path: undefined, generator: 2 });
  if (existsSync(path) && existsSync(meta)) {
    const stored = JSON.parse(readFileSync(meta, 'utf8'));
    if (stored.wanted === wanted && statSync(path).size === stored.bytes) return { ...stored, path };
  }
  process.stderr.write(`bench: generating ${name}...\n`);
  const result = generateCapture({ ...options, path });
  writeFileSync(meta, JSON.stringify({ ...result, wanted }));
  return { ...result, wanted };
}

// ─── tools ───────────────────────────────────────────────────────────────────────────────────

const tools = {
  // The command as npm installs it: its start lines exec Node with settings (src/cli/start-line.ts).
  synfin: (file) => [cli, [file, '--json', '--quiet']],
  // The default output, a box-drawn table: no target, but it once took minutes here.
  'synfin table': (file) => [cli, [file, '--quiet']],
  tcptrace: (file) => ['tcptrace', ['-n', file]],
  tshark: (file) => ['tshark', ['-n', '-q', '-z', 'conv,tcp', '-r', file]],
};
const installed = {
  synfin: true,
  'synfin table': true,
  tcptrace: hasCommand('tcptrace'),
  tshark: hasCommand('tshark'),
};

const rows = [];
const failures = [];
const notes = [];

async function run(tool, file, times = runs) {
  const [command, args] = tools[tool](file.path);
  const result = await measureBest(command, args, tool === 'tshark' ? 1 : times);
  const row = {
    tool,
    capture: file.label,
    packets: file.packets,
    bytes: file.bytes,
    seconds: result.seconds,
    cpuSeconds: result.cpuSeconds,
    peakBytes: result.peakBytes,
  };
  rows.push(row);
  process.stderr.write(`bench: ${tool} on ${file.label}: ${result.seconds.toFixed(2)} s, ${mb(result.peakBytes)}\n`);
  return row;
}

/** Wall-time ratios are the targets; the CPU-time ratio is shown beside them (steadier on a busy machine). */
function cpuNote(other, synfin) {
  return other.cpuSeconds && synfin.cpuSeconds ? ` (CPU time: ${(other.cpuSeconds / synfin.cpuSeconds).toFixed(1)}×)` : '';
}

function target(ok, text) {
  (ok ? notes : failures).push(`${ok ? 'ok  ' : 'MISS'} ${text}`);
}

// ─── formatting ──────────────────────────────────────────────────────────────────────────────

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

function table(header, lines) {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cells) => `| ${cells.map((c, i) => (i === 0 || i === 1 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  return [fmt(header), `|${widths.map((w, i) => (i < 2 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

function resultsTable() {
  const synfinOf = (capture) => rows.find((r) => r.tool === 'synfin' && r.capture === capture);
  return table(
    ['tool', 'capture', 'wall s', 'CPU s', 'Mpkt/s', 'MB/s', 'peak RSS', 'time ÷ synfin', 'CPU ÷ synfin', 'RSS ÷ synfin'],
    rows.map((r) => {
      const base = synfinOf(r.capture);
      const cpuRatio = base && base.cpuSeconds && r.cpuSeconds !== undefined ? `${(r.cpuSeconds / base.cpuSeconds).toFixed(1)}×` : '';
      return [
        r.tool,
        r.capture,
        r.seconds.toFixed(2),
        r.cpuSeconds === undefined ? '' : r.cpuSeconds.toFixed(2),
        (r.packets / r.seconds / 1e6).toFixed(2),
        (r.bytes / r.seconds / 1e6).toFixed(0),
        mb(r.peakBytes),
        base ? `${(r.seconds / base.seconds).toFixed(1)}×` : '',
        cpuRatio,
        base && base.peakBytes ? `${(r.peakBytes / base.peakBytes).toFixed(1)}×` : '',
      ];
    }),
  );
}

function machine() {
  const model = (() => {
    try {
      return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpus()[0]?.model;
    } catch {
      return cpus()[0]?.model;
    }
  })();
  const version = (command, args) => {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    const lines = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.split('\n').map((line) => line.trim()).filter(Boolean);
    return lines[0] ?? 'unknown';
  };
  return [
    `nproc ${cpus().length}, ${model}, ${(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1] ?? 0) / 1024 / 1024).toFixed(0)} GiB`,
    `node ${process.version}`,
    installed.tcptrace ? `tcptrace: ${version('tcptrace', ['-v'])}` : 'tcptrace: not installed',
    installed.tshark ? `tshark: ${version('tshark', ['-v'])}` : 'tshark: not installed',
  ];
}

// ─── the runs ────────────────────────────────────────────────────────────────────────────────

const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const n = sizes.httpConnections;
const http = { ...capture(`http-${n}x9.pcap`, { connections: n, concurrent: 100 }), label: `http ${n / 1000}k×9 pcap` };
const httpNg = { ...capture(`http-${n}x9.pcapng`, { connections: n, concurrent: 100, format: 'pcapng' }), label: `http ${n / 1000}k×9 pcapng` };
const mixed = capture(`mixed-${sizes.mixedConnections}.pcap`, { connections: sizes.mixedConnections, dataPackets: 180, concurrent: 200, mixed: true, seed: 2 });
mixed.label = `mixed ${(mixed.bytes / 1e9).toFixed(2)} GB pcap`;

/** Reads a file once so that the first tool does not pay for the disk (in pieces: readFileSync stops at 2 GiB). */
function warmPageCache(path) {
  const fd = openSync(path, 'r');
  const piece = Buffer.allocUnsafe(8 << 20);
  try {
    while (readSync(fd, piece, 0, piece.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

for (const file of [http, httpNg, mixed]) warmPageCache(file.path);

const synfinHttp = await run('synfin', http);
await run('synfin table', http);
const tcptraceHttp = installed.tcptrace ? await run('tcptrace', http) : undefined;
const tsharkHttp = installed.tshark ? await run('tshark', http) : undefined;
await run('synfin', httpNg);
const synfinMixed = await run('synfin', mixed);

if (tcptraceHttp) {
  const speed = tcptraceHttp.seconds / synfinHttp.seconds;
  target(speed >= TARGETS.fasterThanTcptrace, `${speed.toFixed(1)}× faster than tcptrace on ${http.label}${cpuNote(tcptraceHttp, synfinHttp)} (target ≥ ${TARGETS.fasterThanTcptrace}×)`);
  const memory = synfinHttp.peakBytes / tcptraceHttp.peakBytes;
  target(
    memory <= TARGETS.rssFractionOfTcptrace,
    `peak RSS ${mb(synfinHttp.peakBytes)} = 1/${(1 / memory).toFixed(1)} of tcptrace's ${mb(tcptraceHttp.peakBytes)} (target ≤ 1/8)`,
  );
} else {
  notes.push('skip tcptrace not installed: no comparison');
}
if (tsharkHttp) {
  const speed = tsharkHttp.seconds / synfinHttp.seconds;
  target(speed >= TARGETS.fasterThanTshark, `${speed.toFixed(1)}× faster than tshark on ${http.label}${cpuNote(tsharkHttp, synfinHttp)} (target ≥ ${TARGETS.fasterThanTshark}×)`);
} else {
  notes.push('skip tshark not installed: no comparison');
}
const mixedRate = synfinMixed.bytes / synfinMixed.seconds;
target(mixedRate >= TARGETS.mixedBytesPerSecond, `${(mixedRate / 1e9).toFixed(2)} GB/s on ${mixed.label}, warm (target ≥ ${TARGETS.mixedBytesPerSecond / 1e9} GB/s)`);

// Linearity: the same kind of capture at a quarter, half and all of the connections, each the
// best of at least 5 runs taken one after the other: the check subtracts costs of ~1 s from each
// other, so three runs apiece left it at the mercy of one slow run.
const linear = [];
for (const fraction of [4, 2, 1]) {
  const count = n / fraction;
  const file = fraction === 1 ? { ...http, label: `${http.label}, again` } : { ...capture(`http-${count}x9.pcap`, { connections: count, concurrent: 100 }), label: `http ${count / 1000}k×9 pcap` };
  linear.push(await run('synfin', file, Math.max(runs, 5)));
}
// Marginal cost per packet (CPU time when known, else wall), so start-up cost does not count:
// from a quarter to a half of the connections, and from a half to all of them.
const cost = (r) => r.cpuSeconds ?? r.seconds;
const marginal = (a, b) => (cost(b) - cost(a)) / (b.packets - a.packets);
const growth = marginal(linear[1], linear[2]) / marginal(linear[0], linear[1]);
target(
  growth <= TARGETS.linearity,
  `marginal cost per packet from ${n / 2000}k to ${n / 1000}k connections is ${growth.toFixed(2)}× the one from ${n / 4000}k to ${n / 2000}k (target ≤ ${TARGETS.linearity}×: linear in packets)`,
);
const perConnection = (marginal(linear[0], linear[2]) * (linear[2].packets / n)) * 1e6;
notes.push(`info marginal cost ${perConnection.toFixed(1)} µs per 9-packet connection (${linear[2].cpuSeconds === undefined ? 'wall' : 'CPU'} time, ${n / 4000}k to ${n / 1000}k)`);

// Memory flat in file size: a ~2 GB capture with ~2,000 live connections.
if (big) {
  const file = capture('big-2000-live.pcap', { connections: 4_000, dataPackets: 460, concurrent: 2_000, mixed: true, seed: 3 });
  file.label = `big ${(file.bytes / 1e9).toFixed(2)} GB pcap, 2k live`;
  // Read from the page cache like the others: a run that read it from disk took 3.1 s instead of 0.9 s.
  warmPageCache(file.path);
  const row = await run('synfin', file, 1);
  target(row.peakBytes <= TARGETS.bigPeakBytes, `peak RSS ${mb(row.peakBytes)} on ${file.label} (target ≤ ${mb(TARGETS.bigPeakBytes)})`);
  notes.push(`info peak RSS ${mb(synfinMixed.peakBytes)} on ${mixed.label} vs ${mb(row.peakBytes)} on ${file.label}`);
}

// Bytes per tracked connection (heap after tracking N connections of 9 packets each).
const memoryRun = JSON.parse(
  execFileSync(process.execPath, ['--expose-gc', join(root, 'bench', 'memory.mjs'), String(sizes.memoryConnections)], { encoding: 'utf8' }),
);
notes.push(`info ${memoryRun.bytesPerConnection} bytes per tracked connection (heap after tracking ${memoryRun.connections.toLocaleString('en')} connections)`);

// ─── report ──────────────────────────────────────────────────────────────────────────────────

const text = [
  `machine: ${machine().join('; ')}`,
  `best of ${runs} run(s) per tool (tshark: 1), stdout to /dev/null; synfin runs with --json, 'synfin table' without; load average before: ${loadBefore}.`,
  '',
  resultsTable(),
  '',
  ...notes,
  ...failures,
  '',
].join('\n');
process.stdout.write(text);
if (markdown) writeFileSync(markdown, text);
if (check && failures.length > 0) {
  process.stderr.write(`bench: ${failures.length} target(s) missed\n`);
  process.exit(1);
}
