import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { CaptureToolError, classifyToolFailure, notInstalled } from './errors.js';
import { MarkerSearch, Probe } from './probe.js';
import { adopt } from './reaper.js';
import {
  captureArguments,
  captureFilter,
  droppedPackets,
  findCaptureTool,
  loopbackInterface,
  readyPattern,
  seesLoopback,
  type CaptureTool,
  type CaptureToolName,
} from './tool.js';

export interface CaptureOptions {
  /** Capture TCP with either port in this list (none: all TCP). */
  ports?: readonly number[];
  /** Capture TCP with either address in this list (none: any). */
  hosts?: readonly string[];
  /** Interface to capture on (default: loopback, `lo` on Linux). */
  interface?: string;
  /** Save the capture here (classic pcap, as the tool writes it); else it is a temporary file. */
  keep?: string;
  /** Use this tool when both are installed (default tcpdump). */
  tool?: CaptureToolName;
  /** Where to look for the tool, a PATH value (default: this process's PATH). */
  searchPath?: string;
  /**
   * Before stopping, wait until no packet has arrived for this long (ms, default 100, at most
   * 20 times that), so the last FIN and ACKs of connections closing as the work ends are in.
   */
  settleMs?: number;
  /** Stop the capture on SIGINT/SIGTERM/SIGHUP (default true; the CLI handles signals itself). */
  handleSignals?: boolean;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const PROBE_EVERY_MS = 20;

/** A running capture: the tool's pcap output streams into a file until stop(). */
export class CaptureSession {
  private stderr = '';
  private bytes = 0;
  private lastData = Date.now();
  private exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exitPromise: Promise<void>;
  private readonly fileClosed: Promise<void>;
  private search: MarkerSearch | undefined;
  private stopped = false;

  private constructor(
    readonly tool: CaptureTool,
    readonly interfaceName: string,
    readonly filter: string,
    /** The capture file (the `keep` path, or a temporary one removed by dispose()). */
    readonly file: string,
    private readonly temporaryDirectory: string | undefined,
    private readonly child: ChildProcess,
    private readonly output: WriteStream,
    private readonly probe: Probe | undefined,
    private readonly settleMs: number,
  ) {
    this.exitPromise = new Promise((done) => {
      child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        done();
      });
      // The tool could not be started at all (no 'exit' follows).
      child.once('error', (error) => {
        this.stderr += `${error.message}\n`;
        this.exited ??= { code: null, signal: null };
        done();
      });
    });
    this.fileClosed = new Promise((done, fail) => {
      output.once('close', () => done());
      output.once('error', fail);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      this.lastData = Date.now();
      this.search?.feed(chunk);
    });
    child.stdout!.pipe(output);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      this.stderr += text;
    });
  }

  /**
   * Starts tcpdump (or dumpcap) and resolves once it is capturing: its "listening on" line,
   * then, on a loopback interface, a probe datagram seen in its output.
   */
  static async start(options: CaptureOptions = {}): Promise<CaptureSession> {
    const tool = findCaptureTool(options.searchPath ?? process.env.PATH, options.tool);
    if (!tool) throw notInstalled();
    const interfaceName = options.interface ?? loopbackInterface();
    const probe = seesLoopback(interfaceName) ? await Probe.open() : undefined;
    const filter = captureFilter(options.ports ?? [], options.hosts ?? [], probe?.port);
    let temporaryDirectory: string | undefined;
    let file: string;
    if (options.keep !== undefined) {
      file = resolve(options.keep);
    } else {
      temporaryDirectory = mkdtempSync(join(tmpdir(), 'synfin-'));
      file = join(temporaryDirectory, 'capture.pcap');
    }
    let output: WriteStream;
    try {
      output = createWriteStream(file);
      await new Promise<void>((done, fail) => {
        output.once('open', () => done());
        output.once('error', fail);
      });
    } catch (error) {
      probe?.close();
      if (temporaryDirectory) rmSync(temporaryDirectory, { recursive: true, force: true });
      throw new CaptureToolError('failed', `cannot write the capture to ${file}: ${(error as Error).message}`);
    }
    // Its own process group: a Ctrl-C at the terminal reaches the command, and synfin stops
    // the capture after it, so the command's last packets are still captured.
    const child = spawn(tool.path, captureArguments(tool.name, interfaceName, filter), {
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const session = new CaptureSession(
      tool, interfaceName, filter, file, temporaryDirectory, child, output, probe, options.settleMs ?? 100,
    );
    adopt(child, options.handleSignals ?? true, () => session.dispose());
    try {
      await session.waitUntilCapturing();
    } catch (error) {
      await session.abort();
      if (options.keep !== undefined) rmSync(file, { force: true }); // nothing was captured
      throw error;
    }
    return session;
  }

  private failure(): CaptureToolError {
    return classifyToolFailure(this.tool.name, this.interfaceName, this.stderr, this.exited?.code ?? null);
  }

  private async waitUntilCapturing(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const ready = readyPattern(this.tool.name);
    while (!ready.test(this.stderr)) {
      if (this.exited) throw this.failure();
      if (Date.now() > deadline) {
        throw new CaptureToolError('failed', `${this.tool.name} did not start capturing within ${START_TIMEOUT_MS / 1000} s: ${this.stderr.trim() || 'it printed nothing'}`);
      }
      await Promise.race([delay(PROBE_EVERY_MS), this.exitPromise]);
    }
    if (this.probe) await this.seeProbe(deadline, 'start');
  }

  /** Sends probes until one shows up in the capture (or the tool exits, or time runs out). */
  private async seeProbe(deadline: number, when: 'start' | 'stop'): Promise<void> {
    const search = new MarkerSearch();
    this.search = search;
    try {
      while (!search.found) {
        if (this.exited) throw this.failure();
        if (Date.now() > deadline) {
          throw new CaptureToolError(
            'failed',
            `${this.tool.name} is running on ${this.interfaceName} but no probe packet reached the capture ` +
              `(at ${when}, within ${START_TIMEOUT_MS / 1000} s)`,
          );
        }
        search.add(this.probe!.send());
        await Promise.race([delay(PROBE_EVERY_MS), this.exitPromise]);
      }
    } finally {
      this.search = undefined;
    }
  }

  /** Bytes of capture written so far (the pcap header included). */
  get bytesCaptured(): number {
    return this.bytes;
  }

  /**
   * Once stopped: a warning when the kernel dropped packets (the capture, and so the report,
   * may miss segments), for the report's `warnings`.
   */
  get dropWarning(): string | undefined {
    const dropped = this.exited ? droppedPackets(this.tool.name, this.stderr) : undefined;
    if (!dropped) return undefined;
    return `${this.tool.name} reports ${dropped} packet${dropped === 1 ? '' : 's'} dropped by the kernel: connections may be missing segments`;
  }

  /** The tool's process id (for diagnostics and tests). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Stops cleanly: waits for the traffic to settle, proves with a last probe that every packet
   * sent before it is written, then SIGINT (the tool flushes and exits), and the file is closed.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    try {
      if (!this.exited) {
        const settle = this.settleMs;
        const latest = Date.now() + settle * 20;
        while (Date.now() - this.lastData < settle && Date.now() < latest && !this.exited) {
          await Promise.race([delay(settle / 4), this.exitPromise]);
        }
        if (this.probe && !this.exited) await this.seeProbe(Date.now() + START_TIMEOUT_MS, 'stop');
      }
      if (this.exited && this.exited.code !== 0 && this.exited.signal === null) throw this.failure();
    } finally {
      await this.end();
    }
  }

  /** Stops at once, keeping nothing (the temporary file is removed). */
  async abort(): Promise<void> {
    this.stopped = true;
    await this.end();
    this.dispose();
  }

  private ending: Promise<void> | undefined;

  private end(): Promise<void> {
    this.ending ??= this.endOnce();
    return this.ending;
  }

  private async endOnce(): Promise<void> {
    if (!this.exited && this.child.pid !== undefined) {
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await this.exitPromise;
      clearTimeout(timer);
    }
    this.probe?.close();
    // The pipe ends the file when the tool's output ends; a tool that never started has none.
    const stdout = this.child.stdout!;
    if (!stdout.closed) await new Promise((done) => stdout.once('close', done));
    if (!this.output.writableEnded) this.output.end();
    await this.fileClosed;
  }

  /** Removes the temporary capture file (a kept one stays). */
  dispose(): void {
    if (this.temporaryDirectory) rmSync(this.temporaryDirectory, { recursive: true, force: true });
  }
}
