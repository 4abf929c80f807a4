/**
 * `synfin run` around real commands: exit codes, clear errors when no capture is possible, a
 * kept capture, and no capture process left behind — after success, a failing command, a
 * command that cannot start, and a Ctrl-C.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { CaptureToolError } from '../../src/live/errors.js';
import { liveCaptureCount } from '../../src/live/reaper.js';
import { CaptureSession } from '../../src/live/session.js';
import { findCaptureTool } from '../../src/live/tool.js';
import { captureAvailability, captureProcessesFor, freePort } from '../helpers/live.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared-captures.js';

const availability = await captureAvailability();
if (!availability.ok) console.warn(`live capture tests skipped: ${availability.reason}`);
const live = availability.ok ? describe : describe.skip;
const title = (name: string) => (availability.ok ? name : `${name} (skipped: ${availability.reason})`);
const env = process.env as Record<string, string>;
const work = mkdtempSync(join(tmpdir(), 'synfin-run-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cli = join(repoRoot, 'dist', 'synfin.cjs');
const node = process.execPath;

/** A node one-liner that opens `count` connections to 127.0.0.1:port, each closed by the client. */
function connectScript(port: number, count: number): string[] {
  return ['-e', `
    const net = require('node:net');
    (async () => {
      for (let i = 0; i < ${count}; i++) await new Promise((ok, ko) => {
        const s = net.connect(${port}, '127.0.0.1', () => s.end('ping'));
        s.on('close', ok); s.on('error', ko); s.resume();
      });
    })();`];
}

/** A TCP server on 127.0.0.1 that reads everything and closes when the client does. */
async function echoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer((socket) => socket.resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('when no capture is possible (no root needed)', () => {
  it('no tcpdump or dumpcap on PATH: says how to install, exit 4', async () => {
    const result = await runCli(['run', '--port', '9', '--', 'true'], { env: { PATH: join(work, 'empty') } });
    expect(result.code).toBe(4);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'synfin: capturing needs tcpdump or dumpcap, and neither is on PATH; install tcpdump (e.g. apt-get install tcpdump, dnf install tcpdump, brew install tcpdump)\n',
    );
  });

  it('captureDuring throws the same error, and never runs the work', async () => {
    const { captureDuring } = await import('../../src/live/capture-during.js');
    let ran = false;
    await expect(captureDuring({ port: 9, searchPath: join(work, 'empty') }, () => { ran = true; })).rejects.toThrow(CaptureToolError);
    expect(ran).toBe(false);
  });

  it('run without a command is a usage error', async () => {
    const result = await runCli(['run', '--port', '9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("missing required argument 'command'");
  });
});

live(title('synfin run'), () => {
  it('reports the connections the command made; --keep saves the capture; nothing left running', async () => {
    const server = await echoServer();
    const kept = join(work, 'kept.pcap');
    try {
      const result = await runCli(
        ['run', '-p', String(server.port), '--keep', kept, '-e', 'connections=2', '-e', 'closed-by.client=2', '--', node, ...connectScript(server.port, 2)],
        { env },
      );
      expect(result.stderr).toContain(`synfin: capturing on lo with `);
      expect(result.stderr).toContain(`(tcp and (port ${server.port}))\n`);
      expect(result.stderr).toContain(`synfin: capture saved to ${kept}\n`);
      expect(result.stderr).toContain('synfin: all 2 expectations hold\n');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('2 connections · 2 handshakes · closed by client 2, server 0 · 0 open');
      // The kept file is the same capture: analysing it again gives the same connections.
      const again = await analyze(kept, { ports: [server.port] });
      expect(again.summary).toMatchObject({ connections: 2, handshakes: 2, closedBy: { client: 2, server: 0 } });
    } finally {
      await server.close();
    }
    expect(liveCaptureCount()).toBe(0);
    expect(captureProcessesFor(server.port)).toEqual([]);
  });

  it('an expectation that fails: exit 1 and the failure line, with --json on stdout', async () => {
    const server = await echoServer();
    try {
      const result = await runCli(['run', '-q', '-p', String(server.port), '--json', '-e', 'handshakes=2', '--', node, ...connectScript(server.port, 1)], { env });
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).summary.handshakes).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(`^synfin: expected handshakes=2, actual 1; connections handshakes: #1 127\\.0\\.0\\.1:\\d+ → 127\\.0\\.0\\.1:${server.port} \\(handshake complete, closed by client FIN\\)\n$`),
      );
    } finally {
      await server.close();
    }
  });

  it.skipIf(findCaptureTool(process.env.PATH, 'dumpcap')?.name !== 'dumpcap')('--tool dumpcap captures the same way', async () => {
    const server = await echoServer();
    try {
      const result = await runCli(['run', '--tool', 'dumpcap', '-p', String(server.port), '-e', 'handshakes=3', '-e', 'closed-by.client=3', '--', node, ...connectScript(server.port, 3)], { env });
      expect(result.stderr).toContain('synfin: capturing on lo with dumpcap');
      expect(result.code).toBe(0);
    } finally {
      await server.close();
    }
    expect(captureProcessesFor(server.port)).toEqual([]);
  });

  it("the command gets the user's environment: NODE_EXTRA_CA_CERTS back, its own GLIBC_TUNABLES without synfin's", () => {
    // Started as the shell script, which moves NODE_EXTRA_CA_CERTS aside for Node's own start.
    const seen = join(work, 'env-seen');
    const run = spawnSync(
      cli,
      ['run', '-q', '-p', '9', '--', 'sh', '-c', `printf '%s|%s' "$NODE_EXTRA_CA_CERTS" "\${GLIBC_TUNABLES-unset}" > '${seen}'`],
      { encoding: 'utf8', env: { ...env, NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt', GLIBC_TUNABLES: 'glibc.malloc.arena_max=4' }, timeout: 20_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readFileSync(seen, 'utf8')).toBe('/etc/ssl/certs/ca-certificates.crt|glibc.malloc.arena_max=4');
  });

  it('--keep with a .pcapng name says the file is classic pcap', async () => {
    const kept = join(work, 'named.pcapng');
    const result = await runCli(['run', '-p', String(await freePort()), '--keep', kept, '--', 'true'], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`synfin: capture saved to ${kept} (classic pcap, whatever the name says)\n`);
    expect(readFileSync(kept).readUInt32LE(0)).toBe(0xa1b2c3d4);
  });

  it('a failing command: its exit code wins, the report is still printed, nothing left running', async () => {
    const port = await freePort();
    const result = await runCli(['run', '-p', String(port), '-e', 'connections=0', '--', 'sh', '-c', 'exit 3'], { env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("synfin: 'sh' exited with code 3\n");
    expect(result.stdout).toContain('0 connections');
    expect(liveCaptureCount()).toBe(0);
    expect(captureProcessesFor(port)).toEqual([]);
  });

  it('a command that cannot start: exit 127, nothing left running', async () => {
    const port = await freePort();
    const result = await runCli(['run', '-p', String(port), '--', join(work, 'no-such-command')], { env });
    expect(result.code).toBe(127);
    expect(result.stderr).toContain(`synfin: cannot run '${join(work, 'no-such-command')}': command not found\n`);
    expect(captureProcessesFor(port)).toEqual([]);
  });

  it('a missing interface: says so, exit 4', async () => {
    const result = await runCli(['run', '-i', 'synfin-none0', '-p', '9', '--', 'true'], { env });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/^synfin: no network interface 'synfin-none0' to capture on \(list them with (tcpdump|dumpcap) -D\); .* said: .*\n$/);
  });

  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path));
  it.skipIf(process.getuid?.() !== 0 || setpriv === undefined)('not permitted (an unprivileged user): names root and CAP_NET_RAW, exit 4', () => {
    let code = 0;
    let stderr = '';
    try {
      execFileSync(setpriv!, ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', node, cli, 'run', '-p', '9', '--', 'true'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 20_000,
      });
    } catch (error) {
      const failed = error as { status: number; stderr: string };
      code = failed.status;
      stderr = failed.stderr;
    }
    expect(code).toBe(4);
    expect(stderr).toMatch(/may not capture on lo: it needs root or the CAP_NET_RAW capability/);
  });

  it('Ctrl-C: the command gets it, the capture stops cleanly, the report is printed, exit 130', async () => {
    const server = await echoServer();
    const child = spawn(node, [cli, 'run', '-p', String(server.port), '--', node, '-e', `
      const s = require('node:net').connect(${server.port}, '127.0.0.1');
      s.on('connect', () => console.error('connected'));
      setTimeout(() => {}, 30000);`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => { stdout += chunk; });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the command never connected: ${stderr}`)), 15_000);
        child.stderr!.on('data', (chunk) => {
          stderr += chunk;
          if (stderr.includes('connected\n')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      expect(captureProcessesFor(server.port)).toHaveLength(1);
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
      expect(code).toBe(130);
      expect(stderr).toContain("was ended by SIGINT");
      // The command died on the signal: its kernel closed the socket with a FIN, and it is in.
      expect(stdout).toContain('1 connection · 1 handshake · closed by client 1, server 0 · 0 open');
      expect(captureProcessesFor(server.port)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await server.close();
    }
  });

  it('the library stops its capture and removes its temporary file when the process is interrupted', async () => {
    const port = await freePort();
    const script = `
      import { CaptureSession } from ${JSON.stringify(join(repoRoot, 'dist', 'live', 'session.js'))};
      const session = await CaptureSession.start({ ports: [${port}] });
      console.log('capturing ' + session.file);
      setTimeout(() => {}, 30000);`;
    const child = spawn(node, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      const file = await new Promise<string>((resolve) => child.stdout!.on('data', (chunk) => {
        const match = /capturing (\S+)/.exec(String(chunk));
        if (match) resolve(match[1]!);
      }));
      expect(existsSync(file)).toBe(true);
      expect(captureProcessesFor(port)).toHaveLength(1);
      child.kill('SIGINT');
      expect(await exited).toBe('SIGINT');
      // The tool got SIGTERM synchronously; give the kernel a moment to reap it.
      for (let i = 0; i < 50 && captureProcessesFor(port).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(captureProcessesFor(port)).toEqual([]);
      expect(existsSync(file)).toBe(false); // the temporary capture went with it
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a capture session proves it is live: the probe is in the file', async () => {
    const session = await CaptureSession.start({ ports: [9] });
    await session.stop();
    const bytes = readFileSync(session.file);
    session.dispose();
    expect(bytes.includes(Buffer.from('synfin-probe-'))).toBe(true);
    expect(existsSync(session.file)).toBe(false);
  });
});
