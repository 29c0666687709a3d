import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Bodies here are small JSON documents; anything bigger is a mistake or an attack. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * How much of an oversized body is read and thrown away so the client can see the 413.
 * Past this the connection is closed mid-upload: the client may then see a reset instead.
 */
export const BODY_DRAIN_CAP = 16 * 1024 * 1024;

/**
 * Fastify answers an oversized body with 413 and `connection: close` without reading the
 * rest, and closing a socket the client is still writing to resets it: fetch/undici then
 * report ECONNRESET instead of the answer (curl happens to read the answer first). Reading
 * the rest of the body (up to BODY_DRAIN_CAP) before the 413 goes out lets every client
 * finish its upload and read the error.
 */
export function installBodyDrain(app: FastifyInstance, cap = BODY_DRAIN_CAP): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.statusCode !== 413) return done(null, payload);
    void drain(request.raw, cap).then(() => done(null, payload));
  });
}

function drain(body: IncomingMessage, cap: number): Promise<void> {
  if (body.complete || body.readableEnded || body.destroyed) return Promise.resolve();
  const declared = Number(body.headers['content-length']);
  // A body announced bigger than the cap is not worth reading at all.
  if (declared > cap) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const finish = () => {
      body.off('data', onData);
      body.off('end', finish);
      body.off('close', finish);
      body.off('error', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > cap) finish();
    };
    body.on('data', onData);
    body.once('end', finish);
    body.once('close', finish);
    body.once('error', finish);
    body.resume();
  });
}
