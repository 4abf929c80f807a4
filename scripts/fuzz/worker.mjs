// @ts-check
/** The fuzz loop, in a worker thread so that the main thread can notice a hang and stop it. */
import { parentPort, workerData } from 'node:worker_threads';
import { readCorpusFile } from './corpus.mjs';
import { loadDistDeps } from './dist-deps.mjs';
import { caseSeed, profileCapture, randomCase } from './engine.mjs';

const port = parentPort;
if (port === null) throw new Error('worker.mjs runs as a worker thread of scripts/fuzz.mjs');
const { seed, files, deadline } = workerData;
const deps = await loadDistDeps();
const profiles = new Map();
const started = Date.now();
const kinds = {};
let index = 0;

for (; Date.now() < deadline; index++) {
  const value = caseSeed(seed, index);
  const file = files[value % files.length];
  port.postMessage({ type: 'start', index, file: file.name });
  if (!profiles.has(file.name)) profiles.set(file.name, await profileCapture(file.name, readCorpusFile(file), deps));
  const profile = profiles.get(file.name);
  if (profile === undefined) continue;
  const result = await randomCase(profile, value, deps);
  kinds[result.kind] = (kinds[result.kind] ?? 0) + 1;
  if (result.problems.length > 0) {
    port.postMessage({ type: 'finding', index, file: file.name, kind: result.kind, detail: result.detail, problems: result.problems, input: result.input });
  }
  if (index % 64 === 0) port.postMessage({ type: 'memory', index, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
}
port.postMessage({ type: 'done', stats: { cases: index, kinds, ms: Date.now() - started } });
