/**
 * The builder's frames and the decoder's reading of them, checked against tshark (when installed):
 * tshark must find valid IP and TCP checksums, and the same addresses, ports, raw sequence and
 * acknowledgement numbers, flags, header length, window, payload length (tcp.len) and VLAN ids.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { IpProtocol, LinkType } from '../../src/decode/constants.js';
import { createDecodedPacket, DecodeStatus } from '../../src/decode/decoded.js';
import { formatAddress } from '../../src/decode/format.js';
import { decodePacket } from '../../src/decode/packet.js';
import { buildPcapng } from '../helpers/capture-builder.js';
import { concat, ethernet, ipv4, ipv6, linkFrame, nullLoop, tcp, tcpOption } from '../helpers/packet-builder.js';
import { haveCommand } from '../helpers/tools.js';

const haveTshark = (): boolean => haveCommand('tshark');

const fields = [
  'ip.src', 'ipv6.src', 'ip.dst', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw',
  'tcp.flags', 'tcp.hdr_len', 'tcp.window_size_value', 'tcp.len', 'ieee8021ad.id', 'vlan.id', 'ip.checksum.status', 'tcp.checksum.status',
] as const;

const segments = [
  tcp({ sourcePort: 40000, destinationPort: 80, seq: 0, flags: 'SYN', options: concat(tcpOption.mss(1460), tcpOption.sackPermitted(), tcpOption.timestamps(1, 0), tcpOption.nop(), tcpOption.windowScale(7)) }),
  tcp({ sourcePort: 80, destinationPort: 40000, seq: 0xfffffff0, ack: 1, flags: 'SYN,ACK', window: 29200 }),
  tcp({ sourcePort: 40000, destinationPort: 80, seq: 1, ack: 0xfffffff1, flags: 'PSH,ACK', payload: 'GET / HTTP/1.0\r\n\r\n' }),
  tcp({ sourcePort: 80, destinationPort: 40000, seq: 0xfffffff1, ack: 19, flags: 'FIN,ACK', payload: new Uint8Array(1400).fill(0x61) }),
  tcp({ sourcePort: 40000, destinationPort: 80, seq: 19, ack: 0, flags: 'RST', window: 0 }),
];

function framesFor(linkType: number): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (const segment of segments) {
    if (linkType !== LinkType.Ipv6) frames.push(linkFrame(linkType, ipv4({ src: '192.0.2.1', dst: '198.51.100.2', payload: segment })));
    if (linkType !== LinkType.Ipv4) frames.push(linkFrame(linkType, ipv6({ src: '2001:db8::1', dst: '2001:db8:0:1::2', payload: segment })));
  }
  return frames;
}

const cases: Array<[string, number, Uint8Array[]]> = [
  ['Ethernet', LinkType.Ethernet, framesFor(LinkType.Ethernet)],
  [
    'Ethernet with VLAN, QinQ, PPPoE, padding, IPv4 options and IPv6 extension headers',
    LinkType.Ethernet,
    [
      ethernet({ vlans: [100], payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segments[2]! }) }),
      ethernet({ vlans: [200, 300], qinq: true, payload: ipv6({ src: '::1', dst: '::1', payload: segments[0]! }) }),
      ethernet({ vlans: [939, 744], pppoeSession: 0xdde5, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segments[3]! }) }),
      ethernet({ pppoeSession: 2, payload: ipv6({ src: '::1', dst: '::2', payload: segments[2]! }) }),
      ethernet({ padTo: 60, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segments[4]! }) }),
      ethernet({ payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', options: Uint8Array.of(0x94, 4, 0, 0), payload: segments[1]! }) }),
      ethernet({
        payload: ipv6({
          src: 'fe80::1', dst: 'fe80::2', payload: segments[3]!,
          extensionHeaders: [{ type: IpProtocol.HopByHop }, { type: IpProtocol.Ipv6DestinationOptions }],
        }),
      }),
    ],
  ],
  ['BSD NULL (little-endian family)', LinkType.Null, framesFor(LinkType.Null)],
  ['BSD NULL (big-endian family)', LinkType.Null, [nullLoop({ byteOrder: 'big', payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segments[2]! }) })]],
  ['OpenBSD LOOP', LinkType.Loop, framesFor(LinkType.Loop)],
  ['raw IP', LinkType.Raw, framesFor(LinkType.Raw)],
  ['LINKTYPE_IPV4', LinkType.Ipv4, framesFor(LinkType.Ipv4)],
  ['LINKTYPE_IPV6', LinkType.Ipv6, framesFor(LinkType.Ipv6)],
  ['Linux SLL', LinkType.LinuxSll, framesFor(LinkType.LinuxSll)],
  ['Linux SLL2', LinkType.LinuxSll2, framesFor(LinkType.LinuxSll2)],
];

describe.skipIf(!haveTshark())('frames agree with tshark', () => {
  // One pcapng file, one interface per case (pcapng link types are per interface): one tshark run.
  const directory = mkdtempSync(join(tmpdir(), 'synfin-decode-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'frames.pcapng');
  writeFileSync(
    path,
    buildPcapng({
      sections: [
        {
          interfaces: cases.map(([, linkType]) => ({ linkType })),
          blocks: cases.flatMap(([, , frames], interfaceId) => frames.map((data) => ({ type: 'epb' as const, interfaceId, data }))),
        },
      ],
    }),
  );
  const output = execFileSync(
    'tshark',
    ['-r', path, '-n', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=\t', ...fields.flatMap((f) => ['-e', f])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const lines = output.trimEnd().split('\n');
  let firstLine = 0;
  const rowsByCase = cases.map(([, , frames]) => {
    const rows = lines.slice(firstLine, firstLine + frames.length);
    firstLine += frames.length;
    return rows;
  });

  test('tshark read every frame', () => {
    expect(lines).toHaveLength(cases.reduce((n, [, , frames]) => n + frames.length, 0));
  });

  test.each(cases.map((c, i) => [...c, i] as const))('%s', (_name, linkType, frames, caseIndex) => {
    const out = createDecodedPacket();
    frames.forEach((frame, index) => {
      const row = Object.fromEntries(rowsByCase[caseIndex]![index]!.split('\t').map((value, i) => [fields[i]!, value]));
      expect(decodePacket(frame, linkType, out), `frame ${index + 1}`).toBe(DecodeStatus.Tcp);
      const ours = {
        source: formatAddress(out.ipVersion, out.sourceAddress),
        destination: formatAddress(out.ipVersion, out.destinationAddress),
        sourcePort: String(out.sourcePort),
        destinationPort: String(out.destinationPort),
        sequence: String(out.sequence),
        acknowledgement: String(out.acknowledgement),
        flags: out.flags,
        headerLength: String(out.tcpHeaderLength),
        window: String(out.window),
        payloadLength: String(out.payloadLength),
        vlans: [out.vlanOuter, out.vlanInner].filter((v) => v >= 0).join(','),
        checksums: out.ipVersion === 4 ? '1,1' : ',1',
      };
      const theirs = {
        source: row['ip.src'] || row['ipv6.src'],
        destination: row['ip.dst'] || row['ipv6.dst'],
        sourcePort: row['tcp.srcport'],
        destinationPort: row['tcp.dstport'],
        sequence: row['tcp.seq_raw'],
        acknowledgement: row['tcp.ack_raw'],
        flags: parseInt(row['tcp.flags']!, 16) & 0xff,
        headerLength: row['tcp.hdr_len'],
        window: row['tcp.window_size_value'],
        payloadLength: row['tcp.len'],
        // tshark names an 802.1ad outer tag ieee8021ad.id and 802.1Q tags vlan.id.
        vlans: [row['ieee8021ad.id'], row['vlan.id']].filter((v) => v).join(','),
        checksums: `${row['ip.checksum.status']},${row['tcp.checksum.status']}`,
      };
      expect(ours, `frame ${index + 1}`).toEqual(theirs);
    });
  });
});
