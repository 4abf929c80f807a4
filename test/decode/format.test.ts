import { describe, expect, test } from 'vitest';
import { formatAddress, formatEndpoint, formatTcpFlags } from '../../src/decode/format.js';
import { TcpFlag } from '../../src/decode/constants.js';

function words(...values: number[]): Uint32Array {
  return Uint32Array.from(values);
}

describe('formatAddress', () => {
  test('IPv4 is a dotted quad from word 0', () => {
    expect(formatAddress(4, words(0x7f000001, 0, 0, 0))).toBe('127.0.0.1');
    expect(formatAddress(4, words(0xffffffff))).toBe('255.255.255.255');
    expect(formatAddress(4, words(0))).toBe('0.0.0.0');
  });

  test.each([
    ['loopback', [0, 0, 0, 1], '::1'],
    ['unspecified', [0, 0, 0, 0], '::'],
    ['documentation prefix, lowercase, no leading zeros', [0x20010db8, 0, 0, 1], '2001:db8::1'],
    ['no zero run', [0x20010db8, 0x00010002, 0x00030004, 0x00050006], '2001:db8:1:2:3:4:5:6'],
    ['a single zero group is not compressed', [0x20010db8, 0x00000001, 0x00010001, 0x00010001], '2001:db8:0:1:1:1:1:1'],
    ['longest run wins', [0x20010000, 0x00000001, 0x00000000, 0x00000001], '2001:0:0:1::1'],
    ['leftmost run wins a tie', [0x20010db8, 0x00000000, 0x00010000, 0x00000001], '2001:db8::1:0:0:1'],
    ['trailing run', [0xfe800000, 0, 0, 0], 'fe80::'],
    ['link-local', [0xfe800000, 0, 0x021122ff, 0xfe334455], 'fe80::211:22ff:fe33:4455'],
    ['IPv4-mapped', [0, 0, 0xffff, 0xc0000201], '::ffff:192.0.2.1'],
    ['all ones', [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  ])('IPv6 %s', (_name, value, text) => {
    expect(formatAddress(6, words(...value))).toBe(text);
  });
});

describe('formatEndpoint', () => {
  test('IPv4 address:port', () => {
    expect(formatEndpoint(4, words(0x7f000001, 0, 0, 0), 8087)).toBe('127.0.0.1:8087');
  });
  test('IPv6 [address]:port', () => {
    expect(formatEndpoint(6, words(0, 0, 0, 1), 33902)).toBe('[::1]:33902');
  });
});

describe('formatTcpFlags', () => {
  test.each([
    [TcpFlag.SYN, 'SYN'],
    [TcpFlag.SYN | TcpFlag.ACK, 'SYN,ACK'],
    [TcpFlag.FIN | TcpFlag.PSH | TcpFlag.ACK, 'FIN,PSH,ACK'],
    [TcpFlag.RST | TcpFlag.ACK, 'RST,ACK'],
    [TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR, 'SYN,ECE,CWR'],
    [0xff, 'FIN,SYN,RST,PSH,ACK,URG,ECE,CWR'],
    [0, 'none'],
  ])('%i → %s', (flags, text) => {
    expect(formatTcpFlags(flags)).toBe(text);
  });
});
