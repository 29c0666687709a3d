import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import type { WebhookTargetSettings } from '../kernel/context.js';
import { type ForbiddenRange, forbiddenRange } from './target-policy.js';

export type { WebhookTargetSettings };

export const DEFAULT_WEBHOOK_TARGET_SETTINGS: WebhookTargetSettings = {
  allowPrivateTargets: false,
};

/** A webhook URL whose host is, or resolves to, an address the policy refuses. */
export class WebhookTargetForbiddenError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: ForbiddenRange,
  ) {
    super(
      `${host === address ? address : `${host} resolves to ${address}, which`} is a ${range} address; webhooks are delivered only to public addresses unless STOCKROOM_WEBHOOK_ALLOW_PRIVATE=true`,
    );
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * The addresses a URL's host stands for, each checked against the policy: throws
 * WebhookTargetForbiddenError if any is refused (a name that answers with one public and
 * one private address would let the connection pick the private one). DNS failures are
 * thrown as they come.
 */
export async function resolveTarget(hostname: string): Promise<ResolvedAddress[]> {
  const host = hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  const addresses: ResolvedAddress[] =
    family === 0
      ? (await lookup(host, { all: true, verbatim: true })).map((a) => ({
          address: a.address,
          family: a.family === 6 ? 6 : 4,
        }))
      : [{ address: host, family: family as 4 | 6 }];
  for (const { address } of addresses) {
    const range = forbiddenRange(address);
    if (range !== null) throw new WebhookTargetForbiddenError(host, address, range);
  }
  return addresses;
}

/**
 * A `lookup` for the socket that answers only with addresses already checked, so the
 * connection goes where the check looked: a DNS answer that changes between the check
 * and the connect (DNS rebinding) never reaches the socket.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
    const usable = addresses.filter((a) => wanted === undefined || a.family === wanted);
    const first = usable[0];
    if (!first) {
      const error = Object.assign(new Error(`No checked IPv${wanted} address`), {
        code: 'ENOTFOUND',
      });
      callback(error, '', 0);
      return;
    }
    if (options.all) {
      // biome-ignore lint/suspicious/noExplicitAny: node's overloads for `all` take an array
      (callback as any)(null, usable);
      return;
    }
    callback(null, first.address, first.family);
  };
}
