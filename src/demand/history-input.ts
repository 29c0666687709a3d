import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BadRequestError } from '../shared/errors.js';

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The bytes of a CSV file, gunzipped when they start with gzip's magic bytes (1f 8b),
 * whatever the file is called or the upload claims: a `.csv` that is really gzip and a
 * `.gz` that is not both read. Streams, so a file of any size is read in constant memory.
 * A broken gzip stream fails the read with a 400 INVALID_GZIP.
 */
export async function openCsvBytes(input: AsyncIterable<Buffer | string>): Promise<Readable> {
  const iterator = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let ended = false;
  // A first chunk of one byte is possible (a pipe); two are needed to tell.
  while (head.length < GZIP_MAGIC.length) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    head = Buffer.concat([head, toBuffer(next.value)]);
  }
  async function* rest() {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield toBuffer(next.value);
    }
  }
  const bytes = Readable.from(rest(), { objectMode: false });
  if (head[0] !== GZIP_MAGIC[0] || head[1] !== GZIP_MAGIC[1]) return bytes;
  const gunzip = createGunzip();
  bytes.on('error', (error) => gunzip.destroy(error));
  gunzip.on('error', () => undefined);
  const decoded = bytes.pipe(gunzip);
  // Errors from zlib become the 400 the caller reports; others pass through as they are.
  return Readable.from(translateGzipErrors(decoded), { objectMode: false });
}

async function* translateGzipErrors(stream: Readable): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (error) {
    if (isZlibError(error)) {
      throw new BadRequestError(
        'INVALID_GZIP',
        `The gzip data is broken: ${String((error as Error).message)}`,
      );
    }
    throw error;
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

const toBuffer = (chunk: Buffer | string) =>
  typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
