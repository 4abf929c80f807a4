/**
 * Run a command once with stdout to /dev/null and measure wall time, CPU time and peak RSS.
 * Peak RSS and CPU time come from GNU time (`/usr/bin/time -f '%M %U %S'`) when it is installed,
 * else peak RSS from polling /proc/<pid>/status VmHWM (the kernel's own high-water mark) until the
 * child exits, and no CPU time. CPU time (user + system) says more than wall time on a busy machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

export function hasCommand(name) {
  const paths = (process.env.PATH ?? '').split(':');
  return paths.some((dir) => dir && existsSync(join(dir, name)));
}

function readHighWaterMark(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<{ seconds: number, cpuSeconds: number | undefined, peakBytes: number, code: number, stderr: string }>}
 */
export function measure(command, args, { cwd } = {}) {
  const useTime = existsSync(GNU_TIME);
  const report = join(tmpdir(), `synfin-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const argv = useTime ? ['-f', '%M %U %S', '-o', report, command, ...args] : args;
  const program = useTime ? GNU_TIME : command;
  const devNull = openSync('/dev/null', 'w');
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(program, argv, { cwd, stdio: ['ignore', devNull, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 100_000) stderr += chunk;
    });
    let polled = 0;
    const poll = useTime
      ? undefined
      : setInterval(() => {
          polled = Math.max(polled, readHighWaterMark(child.pid));
        }, 5);
    child.on('error', (error) => {
      if (poll) clearInterval(poll);
      closeSync(devNull);
      reject(error);
    });
    child.on('exit', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (poll) clearInterval(poll);
      closeSync(devNull);
      let peakBytes = polled;
      let cpuSeconds;
      if (useTime) {
        try {
          const [kilobytes, user, system] = (readFileSync(report, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
          peakBytes = kilobytes * 1024;
          cpuSeconds = user + system;
        } catch {
          peakBytes = 0;
        }
        rmSync(report, { force: true });
      }
      resolve({ seconds, cpuSeconds, peakBytes, code: code ?? -1, stderr });
    });
  });
}

/** Best (lowest) wall and CPU time of `runs` runs; peak RSS is the highest seen over all runs. */
export async function measureBest(command, args, runs, options) {
  let best;
  let peak = 0;
  let cpu;
  for (let i = 0; i < runs; i++) {
    const result = await measure(command, args, options);
    if (result.code !== 0) {
      throw new Error(`${command} ${args.join(' ')} exited with ${result.code}: ${result.stderr.slice(0, 500)}`);
    }
    peak = Math.max(peak, result.peakBytes);
    if (result.cpuSeconds !== undefined) cpu = Math.min(cpu ?? Infinity, result.cpuSeconds);
    if (best === undefined || result.seconds < best.seconds) best = result;
  }
  return { ...best, cpuSeconds: cpu, peakBytes: peak };
}
