import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for the sign-in limit and the logs. Behind reverse proxies every
 * request's TCP peer is the nearest proxy, so with `TRUST_PROXY` = the number of proxies in front, the
 * client is the entry that many places from the right of `X-Forwarded-For` (each proxy appends the
 * address it was reached from; entries further left were written by the client and prove nothing).
 * A header with fewer entries did not come through every proxy: the TCP peer is used then.
 */
export function clientAddress(
  req: Pick<IncomingMessage, 'headers'> & { socket: { remoteAddress?: string | undefined } },
  trustedProxies: number,
): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.length >= trustedProxies ? entries[entries.length - trustedProxies]! : peer;
}
