import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyToolFailure } from '../../src/live/errors.js';
import { captureArguments, captureFilter, droppedPackets, findCaptureTool, seesLoopback } from '../../src/live/tool.js';

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function binDirectory(...tools: string[]): string {
  const directory = mkdtempSync(join(tmpdir(), 'synfin-bin-'));
  directories.push(directory);
  for (const tool of tools) {
    writeFileSync(join(directory, tool), '#!/bin/sh\nexit 0\n');
    chmodSync(join(directory, tool), 0o755);
  }
  return directory;
}

describe('finding the capture tool on PATH', () => {
  it('prefers tcpdump, takes dumpcap when that is what is installed, honours a preference', () => {
    const both = binDirectory('tcpdump', 'dumpcap');
    const onlyDumpcap = binDirectory('dumpcap');
    expect(findCaptureTool(both)).toEqual({ name: 'tcpdump', path: join(both, 'tcpdump') });
    expect(findCaptureTool(both, 'dumpcap')).toEqual({ name: 'dumpcap', path: join(both, 'dumpcap') });
    expect(findCaptureTool(`${binDirectory()}:${onlyDumpcap}`)).toEqual({ name: 'dumpcap', path: join(onlyDumpcap, 'dumpcap') });
    expect(findCaptureTool(`${onlyDumpcap}:${both}`, 'tcpdump')?.path).toBe(join(both, 'tcpdump'));
  });

  it('nothing found on an empty or missing PATH', () => {
    expect(findCaptureTool(binDirectory())).toBeUndefined();
    expect(findCaptureTool('')).toBeUndefined();
    expect(findCaptureTool(undefined)).toBeUndefined();
  });

  it('a file that is not executable does not count', () => {
    const directory = binDirectory();
    writeFileSync(join(directory, 'tcpdump'), '');
    expect(findCaptureTool(directory)).toBeUndefined();
  });
});

describe('capture filter and arguments', () => {
  it('TCP on the ports (or), and the hosts (or), both (and), plus the probe datagrams', () => {
    expect(captureFilter([], [])).toBe('tcp');
    expect(captureFilter([8087], [])).toBe('tcp and (port 8087)');
    expect(captureFilter([80, 443], ['127.0.0.1', '::1'])).toBe('tcp and (port 80 or port 443) and (host 127.0.0.1 or host ::1)');
    expect(captureFilter([8087], [], 40000)).toBe('(tcp and (port 8087)) or (udp and dst host 127.0.0.1 and dst port 40000)');
  });

  it('packet-buffered pcap on stdout, not promiscuous', () => {
    expect(captureArguments('tcpdump', 'lo', 'tcp')).toEqual(['-i', 'lo', '-p', '-n', '-U', '--immediate-mode', '-B', '32768', '-w', '-', 'tcp']);
    expect(captureArguments('dumpcap', 'lo', 'tcp')).toEqual(['-i', 'lo', '-p', '-P', '-B', '32', '-f', 'tcp', '-w', '-']);
  });

  it('probes only where 127.0.0.1 traffic is seen', () => {
    expect(['lo', 'lo0', 'any'].map(seesLoopback)).toEqual([true, true, true]);
    expect(['eth0', 'wlan0', 'lowpan0'].map(seesLoopback)).toEqual([false, false, false]);
  });
});

describe('what the tools say when they cannot capture', () => {
  // Printed by tcpdump 4.99 and dumpcap 4.0 (Debian bookworm).
  it('not permitted: names root and CAP_NET_RAW', () => {
    const tcpdump = classifyToolFailure('tcpdump', 'lo',
      "tcpdump: lo: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n", 1);
    expect(tcpdump.kind).toBe('not-permitted');
    expect(tcpdump.message).toBe(
      'tcpdump may not capture on lo: it needs root or the CAP_NET_RAW capability (run as root, or: setcap cap_net_raw+ep $(command -v tcpdump)); ' +
        "tcpdump said: tcpdump: lo: You don't have permission to perform this capture on that device (socket: Operation not permitted)",
    );
    const dumpcap = classifyToolFailure('dumpcap', 'lo',
      "Capturing on 'Loopback: lo'\ndumpcap: You do not have permission to capture on device \"lo\".\n(socket: Operation not permitted)\nPlease check...\n", 1);
    expect(dumpcap.kind).toBe('not-permitted');
    expect(dumpcap.message).toContain('dumpcap said: dumpcap: You do not have permission to capture on device "lo". (socket: Operation not permitted)');
  });

  it('no such interface', () => {
    const tcpdump = classifyToolFailure('tcpdump', 'nosuch0', 'tcpdump: nosuch0: No such device exists\n(No such device exists)\n', 1);
    expect(tcpdump.kind).toBe('no-interface');
    expect(tcpdump.message).toBe(
      "no network interface 'nosuch0' to capture on (list them with tcpdump -D); tcpdump said: tcpdump: nosuch0: No such device exists (No such device exists)",
    );
    expect(classifyToolFailure('dumpcap', 'nosuch0', "Capturing on 'nosuch0'\ndumpcap: There is no device named \"nosuch0\".\n", 1).kind).toBe('no-interface');
  });

  it('anything else: the tool’s words, or its exit code', () => {
    expect(classifyToolFailure('tcpdump', 'lo', 'tcpdump: syntax error in filter expression\n', 1).message).toBe(
      'tcpdump could not capture on lo: tcpdump: syntax error in filter expression',
    );
    expect(classifyToolFailure('tcpdump', 'lo', '', 2).message).toBe('tcpdump could not capture on lo: exit code 2');
  });
});

describe('kernel drops, from the statistics the tools print when stopped', () => {
  it('tcpdump and dumpcap', () => {
    expect(droppedPackets('tcpdump', '21 packets captured\n76 packets received by filter\n34 packets dropped by kernel\n')).toBe(34);
    expect(droppedPackets('tcpdump', '1 packet captured\n1 packet received by filter\n0 packets dropped by kernel\n')).toBe(0);
    expect(droppedPackets('dumpcap', "File: -\nPackets captured: 3\nPackets received/dropped on interface 'Loopback: lo': 3/2 (pcap:2/dumpcap:0/flushed:0/ps_ifdrop:0) (40.0%)\n")).toBe(2);
    expect(droppedPackets('tcpdump', 'tcpdump: listening on lo\n')).toBeUndefined();
  });
});
