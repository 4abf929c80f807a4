import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The programs that can capture for `synfin run`, in order of preference. */
export type CaptureToolName = 'tcpdump' | 'dumpcap';

export interface CaptureTool {
  name: CaptureToolName;
  path: string;
}

const TOOLS: readonly CaptureToolName[] = ['tcpdump', 'dumpcap'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The first of tcpdump, dumpcap (or `prefer` first) found on `searchPath` (a PATH value). */
export function findCaptureTool(searchPath: string | undefined, prefer?: CaptureToolName): CaptureTool | undefined {
  const names = prefer ? [prefer, ...TOOLS.filter((name) => name !== prefer)] : TOOLS;
  const directories = (searchPath ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of names) {
    for (const directory of directories) {
      const path = join(directory, name);
      if (executable(path)) return { name, path };
    }
  }
  return undefined;
}

/** The loopback interface's usual name on this system. */
export function loopbackInterface(platform: NodeJS.Platform = process.platform): string {
  return platform === 'linux' ? 'lo' : 'lo0';
}

/** Interfaces where a datagram to 127.0.0.1 is seen, so a probe can prove the capture is live. */
export function seesLoopback(interfaceName: string): boolean {
  return interfaceName === 'any' || /^lo\d*$/.test(interfaceName);
}

/**
 * The BPF capture filter: TCP on the ports and hosts asked (each list ORed, the two ANDed),
 * or-ed with the probe datagrams (UDP to 127.0.0.1 on the probe's own port).
 */
export function captureFilter(ports: readonly number[], hosts: readonly string[], probePort?: number): string {
  const parts = ['tcp'];
  if (ports.length > 0) parts.push(`(${ports.map((port) => `port ${port}`).join(' or ')})`);
  if (hosts.length > 0) parts.push(`(${hosts.map((host) => `host ${host}`).join(' or ')})`);
  const tcp = parts.join(' and ');
  return probePort === undefined ? tcp : `(${tcp}) or (udp and dst host 127.0.0.1 and dst port ${probePort})`;
}

/** Kernel capture buffer, MiB. */
export const CAPTURE_BUFFER_MIB = 32;

/**
 * Arguments that make the tool write a classic pcap to stdout, one packet at a time
 * (tcpdump -U --immediate-mode; dumpcap flushes each packet when writing to a pipe), without
 * promiscuous mode (-p: only this host's traffic, and no CAP_NET_ADMIN needed for it).
 * The kernel buffer is raised from the 2 MiB default: in immediate mode libpcap uses
 * TPACKET_V2, one ring slot per packet sized for the interface MTU, and loopback's 64 KiB MTU
 * leaves 2 MiB only 16 slots, so a burst of a few requests overflows it ("dropped by kernel").
 */
export function captureArguments(tool: CaptureToolName, interfaceName: string, filter: string): string[] {
  if (tool === 'tcpdump') {
    return ['-i', interfaceName, '-p', '-n', '-U', '--immediate-mode', '-B', String(CAPTURE_BUFFER_MIB * 1024), '-w', '-', filter];
  }
  return ['-i', interfaceName, '-p', '-P', '-B', String(CAPTURE_BUFFER_MIB), '-f', filter, '-w', '-'];
}

/** The stderr line each tool prints once its capture is set up. */
export function readyPattern(tool: CaptureToolName): RegExp {
  return tool === 'tcpdump' ? /listening on / : /Capturing on /;
}

/** Packets the kernel dropped, from the statistics the tool prints when it stops. */
export function droppedPackets(tool: CaptureToolName, stderr: string): number | undefined {
  const match = tool === 'tcpdump'
    ? /(\d+) packets? dropped by kernel/.exec(stderr)
    : /received\/dropped on interface[^\n]*?: \d+\/(\d+)/.exec(stderr);
  return match ? Number(match[1]) : undefined;
}
