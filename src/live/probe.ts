import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/**
 * A UDP datagram to 127.0.0.1 that the capture filter lets through: seeing it in the tool's
 * output proves the capture is live (after start) and that everything sent before it has
 * been written (before stop). Each probe carries a marker found in the captured bytes.
 */
export class Probe {
  private constructor(
    private readonly receiver: Socket,
    private readonly sender: Socket,
    readonly port: number,
    private readonly tag: string,
  ) {}

  private sent = 0;

  static async open(): Promise<Probe> {
    const receiver = createSocket('udp4');
    receiver.on('message', () => {});
    await new Promise<void>((resolve, reject) => {
      receiver.once('error', reject);
      receiver.bind(0, '127.0.0.1', () => resolve());
    });
    const sender = createSocket('udp4');
    return new Probe(receiver, sender, receiver.address().port, randomBytes(6).toString('hex'));
  }

  /** Sends one datagram and returns the bytes that mark it in a capture. */
  send(): Buffer {
    const marker = Buffer.from(`synfin-probe-${this.tag}-${++this.sent}.`);
    this.sender.send(marker, this.port, '127.0.0.1');
    return marker;
  }

  close(): void {
    this.receiver.close();
    this.sender.close();
  }
}

/** Finds markers in a byte stream read chunk by chunk, across chunk boundaries. */
export class MarkerSearch {
  private tail = Buffer.alloc(0);
  private readonly markers: Buffer[] = [];
  found = false;

  add(marker: Buffer): void {
    this.markers.push(marker);
  }

  feed(chunk: Buffer): void {
    if (this.found || this.markers.length === 0) return;
    const window = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    if (this.markers.some((marker) => window.includes(marker))) this.found = true;
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - 64)));
  }
}
