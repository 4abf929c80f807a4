// Compiled by vitest-types.test.ts (never run): the matcher types a user of 'synfin/vitest' gets.
import { expect } from 'vitest';
import 'synfin/vitest';
import { analyze, captureDuring } from 'synfin';

export async function usage(): Promise<void> {
  const report = await analyze('x.pcap', { ports: [8087] });
  expect(report).toHaveConnections(3);
  expect(report).toHaveHandshakes(1);
  expect(report).toBeClosedBy('server');
  expect(report).toBeClosedBy('client', { with: 'rst', count: 2 });
  expect(report).not.toReuseConnections();
  expect(await captureDuring({ port: 8087 }, async () => {})).toReuseConnections();
  // @ts-expect-error a side is 'client' or 'server'
  expect(report).toBeClosedBy('peer');
  // @ts-expect-error closes are 'fin' or 'rst'
  expect(report).toBeClosedBy('server', { with: 'ack' });
  // @ts-expect-error a count is a number
  expect(report).toHaveHandshakes('1');
}
