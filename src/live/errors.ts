import type { CaptureToolName } from './tool.js';

export type CaptureFailureKind =
  /** Neither tcpdump nor dumpcap is installed (on PATH). */
  | 'not-installed'
  /** The tool may not open the interface: not root, no CAP_NET_RAW. */
  | 'not-permitted'
  /** No such interface. */
  | 'no-interface'
  /** The tool failed to start, or never saw the probe packet, or stopped on its own. */
  | 'failed';

/** `synfin run` / captureDuring could not capture; the message says what to do about it. */
export class CaptureToolError extends Error {
  override name = 'CaptureToolError';
  constructor(readonly kind: CaptureFailureKind, message: string) {
    super(message);
  }
}

export function notInstalled(): CaptureToolError {
  return new CaptureToolError(
    'not-installed',
    'capturing needs tcpdump or dumpcap, and neither is on PATH; install tcpdump (e.g. apt-get install tcpdump, dnf install tcpdump, brew install tcpdump)',
  );
}

/** The tool's own explanation: its first line that says something (not the "Capturing on" banner). */
function toolSaid(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !/^Capturing on /.test(line));
  return lines.slice(0, 2).join(' ');
}

/** Turns what a tool printed before it exited into the failure a person can act on. */
export function classifyToolFailure(tool: CaptureToolName, interfaceName: string, stderr: string, exitCode: number | null): CaptureToolError {
  const said = toolSaid(stderr) || `exit code ${exitCode}`;
  if (/permission|not permitted|EPERM/i.test(stderr)) {
    return new CaptureToolError(
      'not-permitted',
      `${tool} may not capture on ${interfaceName}: it needs root or the CAP_NET_RAW capability ` +
        `(run as root, or: setcap cap_net_raw+ep $(command -v ${tool})); ${tool} said: ${said}`,
    );
  }
  if (/no such device|there is no device named|doesn't exist|no such interface/i.test(stderr)) {
    return new CaptureToolError(
      'no-interface',
      `no network interface '${interfaceName}' to capture on (list them with ${tool} -D); ${tool} said: ${said}`,
    );
  }
  return new CaptureToolError('failed', `${tool} could not capture on ${interfaceName}: ${said}`);
}
