#!/usr/bin/env node
// @ts-check
/**
 * Mutation fuzzing of the built CLI library (dist/) over real captures, for as long as asked:
 *
 *   npm run fuzz -- --minutes 10            random seed (printed), all of the corpus
 *   npm run fuzz -- --seed 42 --minutes 1   the same cases as another run with seed 42
 *   npm run fuzz -- --seed 42 --replay 1234 run one case again and save its input
 *   npm run fuzz -- --file pcapng           only corpus files whose name contains "pcapng"
 *
 * Cases run in a worker thread watched from here: a case that takes longer than --hang-seconds
 * (default 20) is reported as a hang, and memory above --max-rss-mb (default 1024) as a leak.
 * Damaged inputs that break an invariant are saved under fuzz-findings/ with the command that
 * replays them. Exit status: 0 nothing found, 1 findings, 2 bad usage.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { corpusFiles, readCorpusFile, repoRoot } from './fuzz/corpus.mjs';
import { loadDistDeps } from './fuzz/dist-deps.mjs';
import { caseSeed, profileCapture, randomCase } from './fuzz/engine.mjs';

const USAGE = 'usage: npm run fuzz -- [--minutes N] [--seed S] [--replay CASE] [--file TEXT] [--hang-seconds N] [--max-rss-mb N]';

function fail(message) {
  process.stderr.write(`fuzz: ${message}\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      minutes: { type: 'string', default: '1' },
      seed: { type: 'string' },
      replay: { type: 'string' },
      file: { type: 'string' },
      'hang-seconds': { type: 'string', default: '20' },
      'max-rss-mb': { type: 'string', default: '1024' },
      out: { type: 'string', default: join(repoRoot, 'fuzz-findings') },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const number = (name, value) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) fail(`--${name} wants a number, not '${value}'`);
  return n;
};
const minutes = number('minutes', args.minutes);
const seed = args.seed === undefined ? Date.now() % 2 ** 31 : Math.floor(number('seed', args.seed));
const hangMs = number('hang-seconds', args['hang-seconds']) * 1000;
const maxRssMb = number('max-rss-mb', args['max-rss-mb']);
const files = corpusFiles().filter((f) => args.file === undefined || f.name.includes(args.file));
if (files.length === 0) fail('no capture files in fixtures/ or ../shared/captures/files match');

function inputName(file, kind, index, input) {
  const gz = input[0] === 0x1f && input[1] === 0x8b ? '.gz' : '';
  return `${kind}-${file.replace(/\.[^.]+$/, '')}-seed${seed}-case${index}${/\.pcapng$/.test(file) ? '.pcapng' : '.pcap'}${gz}`;
}

function save(file, kind, index, input) {
  mkdirSync(args.out, { recursive: true });
  const path = join(args.out, inputName(file, kind, index, input));
  writeFileSync(path, input);
  return path;
}

const replayCommand = (index) => `npm run fuzz -- --seed ${seed} --replay ${index}${args.file ? ` --file ${args.file}` : ''}`;

if (args.replay !== undefined) {
  // One case, in this thread, with its input saved.
  const index = Math.floor(number('replay', args.replay));
  const deps = await loadDistDeps();
  const caseSeedValue = caseSeed(seed, index);
  const file = files[caseSeedValue % files.length];
  const profile = await profileCapture(file.name, readCorpusFile(file), deps);
  if (profile === undefined) fail(`${file.name} is not a capture the fuzzer can frame`);
  const result = await randomCase(profile, caseSeedValue, deps);
  const path = save(file.name, result.kind, index, result.input);
  process.stdout.write(`${file.name} case ${index}: ${result.kind}, ${result.detail}\ninput saved as ${path}\n`);
  for (const problem of result.problems) process.stdout.write(`  ${problem}\n`);
  process.stdout.write(result.problems.length === 0 ? 'every invariant holds\n' : '');
  process.exit(result.problems.length === 0 ? 0 : 1);
}

process.stdout.write(`fuzz: seed ${seed}, ${minutes} minute(s), ${files.length} capture(s)\n`);
const worker = new Worker(new URL('./fuzz/worker.mjs', import.meta.url), {
  workerData: { seed, files, deadline: Date.now() + minutes * 60_000 },
});

let findings = 0;
let current = { index: -1, file: '', since: Date.now() };
let stats = undefined;
let stopped = false;

function stop(code) {
  if (stopped) return;
  stopped = true;
  clearInterval(watchdog);
  void worker.terminate().then(() => process.exit(code));
}

const watchdog = setInterval(() => {
  const waited = Date.now() - current.since;
  if (current.index >= 0 && waited > hangMs) {
    process.stdout.write(`HANG: ${current.file} case ${current.index} has run for ${(waited / 1000).toFixed(0)} s; replay: ${replayCommand(current.index)}\n`);
    stop(1);
  }
}, 1000);

worker.on('message', (message) => {
  if (message.type === 'start') {
    current = { index: message.index, file: message.file, since: Date.now() };
  } else if (message.type === 'finding') {
    findings++;
    const path = save(message.file, message.kind, message.index, message.input);
    process.stdout.write(
      `FINDING: ${message.file} case ${message.index} (${message.kind}: ${message.detail}): ${message.problems.join('; ')}\n` +
        `  input: ${path}\n  replay: ${replayCommand(message.index)}\n`,
    );
  } else if (message.type === 'memory') {
    if (message.rssMb > maxRssMb) {
      findings++;
      process.stdout.write(`MEMORY: ${message.rssMb} MB resident after case ${message.index} (limit ${maxRssMb} MB)\n`);
      stop(1);
    }
  } else if (message.type === 'done') {
    stats = message.stats;
  }
});
worker.on('error', (error) => {
  process.stdout.write(`CRASH: the fuzz worker died at ${current.file} case ${current.index}: ${error.stack ?? error.message}\n  replay: ${replayCommand(current.index)}\n`);
  stop(1);
});
worker.on('exit', () => {
  if (stopped) return;
  if (stats !== undefined) {
    const kinds = Object.entries(stats.kinds).map(([kind, n]) => `${kind} ${n}`).join(', ');
    process.stdout.write(`fuzz: ${stats.cases} cases (${kinds}) in ${(stats.ms / 1000).toFixed(0)} s, ${findings} finding(s); seed ${seed}\n`);
  }
  stop(findings === 0 && stats !== undefined ? 0 : 1);
});
