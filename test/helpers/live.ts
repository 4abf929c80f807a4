/** Helpers for tests that capture real loopback traffic (tcpdump/dumpcap; root or CAP_NET_RAW). */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { CaptureToolError } from '../../src/live/errors.js';
import { CaptureSession } from '../../src/live/session.js';

/** Whether this machine can capture on loopback, and if not, why (shown as the skip reason). */
export async function captureAvailability(): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    const session = await CaptureSession.start({ ports: [9] });
    await session.abort();
    return { ok: true };
  } catch (error) {
    if (error instanceof CaptureToolError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** A TCP port nothing listens on right now (bound to 0 and released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Capture processes (tcpdump/dumpcap) whose filter names this port, from /proc. */
export function captureProcessesFor(port: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!/(^|\/)(tcpdump|dumpcap)$/.test(args[0] ?? '')) continue;
    if (args.some((arg) => new RegExp(`\\bport ${port}\\b`).test(arg))) found.push(Number(entry));
  }
  return found;
}

/** `python3 -m http.server` on 127.0.0.1, on a port it picks itself (port 0), read from its banner. */
export async function startPythonHttpServer(directory: string): Promise<{ port: number; stop(): Promise<void> }> {
  const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', directory], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`python3 -m http.server did not start: ${out}`)), 10_000);
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (text: string) => {
      out += text;
      const match = /port (\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`python3 -m http.server exited (${code}): ${out}`));
    });
  });
  child.stderr!.resume();
  return { port, stop: () => stopChild(child) };
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
