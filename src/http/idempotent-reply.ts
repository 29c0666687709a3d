import type { FastifyReply } from 'fastify';

/**
 * Answers a request that carried a client id (a receipt id): 201 when it did the work,
 * 200 with the recorded answer when it was a replay, and says which in a header.
 */
export function sendIdempotent<T>(reply: FastifyReply, result: { replayed: boolean; receipt: T }) {
  return reply
    .status(result.replayed ? 200 : 201)
    .header('idempotent-replayed', String(result.replayed))
    .send(result.receipt);
}
