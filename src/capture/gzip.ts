import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ByteSource, type Puller, type SourceOptions } from './source.js';
import { StreamPuller } from './source-stream.js';

/** Hand over the compressed bytes already read (copied: the buffer is reused), then the rest. */
async function* compressedBytes(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source.length > 0) yield source.buffer.slice(0, source.length);
  while (await source.refill(source.length, 1)) yield source.buffer.slice(0, source.length);
}

/** Decompressed bytes of a gzip source; a corrupt or cut gzip stream ends the input early. */
class GunzipPuller implements Puller {
  private readonly compressed: Readable;
  private readonly inner: StreamPuller;

  constructor(private readonly source: ByteSource) {
    const gunzip = createGunzip();
    this.compressed = Readable.from(compressedBytes(source));
    this.compressed.on('error', (error: Error) => gunzip.destroy(error));
    this.compressed.pipe(gunzip);
    this.inner = new StreamPuller(gunzip, true, true);
  }

  get endProblem(): string | undefined {
    const problem = this.inner.endProblem;
    return problem === undefined ? undefined : `gzip data: ${problem}`;
  }

  pull(target: Uint8Array, offset: number, length: number): Promise<number> {
    return this.inner.pull(target, offset, length);
  }

  async close(): Promise<void> {
    await this.inner.close();
    this.compressed.destroy();
    await this.source.close();
  }
}

/** A source over the decompressed content of `source`, which starts with the gzip magic 1f 8b. */
export function gunzipSource(source: ByteSource, options: SourceOptions = {}): ByteSource {
  return new ByteSource(new GunzipPuller(source), { chunkSize: options.chunkSize });
}
