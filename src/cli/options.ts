import { InvalidArgumentError } from 'commander';
import { parseAddress } from '../track/filter.js';

export function parsePort(value: string, previous: number[] = []): number[] {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new InvalidArgumentError(`'${value}' is not a TCP port (0-65535).`);
  }
  return [...previous, Number(value)];
}

export function parseHost(value: string, previous: string[] = []): string[] {
  if (!parseAddress(value)) throw new InvalidArgumentError(`'${value}' is not an IPv4 or IPv6 address.`);
  return [...previous, value];
}
